package store

import (
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// importBatch is how many records Import writes per transaction: large enough that the fsync of each
// commit is negligible, small enough to keep a transaction's dirty pages modest.
const importBatch = 20_000

// Import writes rec(0) … rec(n-1) into instance of the data directory dir, importBatch records per
// transaction, without holding them in memory: the quick way to build a large persistent store (a
// benchmark's). No process may have dir open meanwhile. A record with a key already stored replaces it;
// a zero Added becomes the current time. A failure leaves the batches committed before it.
func Import(dir, instance string, n int, rec func(i int) Record) error {
	if instance == "" {
		return ErrNoInstance
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	d, err := openDisk(filepath.Join(dir, fileName))
	if err != nil {
		return err
	}
	batch := make([]*Record, 0, min(n, importBatch))
	for i := range n {
		r := rec(i)
		if r.Added.IsZero() {
			r.Added = time.Now()
		}
		batch = append(batch, normalized(r))
		if len(batch) == cap(batch) || i == n-1 {
			if err := d.write(instance, batch, nil, false); err != nil {
				d.close()
				return err
			}
			batch = batch[:0]
		}
	}
	return d.close()
}
