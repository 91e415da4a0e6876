package harness

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Journal appends one line per image the run is about to create, before the create is sent, so that a
// sweeper can find what a run killed midway left behind.
type Journal struct {
	mu sync.Mutex
	f  *os.File
}

// JournalEntry is one line of a journal.
type JournalEntry struct {
	Instance  string `json:"instance"`
	ProductId string `json:"productId"`
	PicName   string `json:"picName"`
}

// OpenJournal creates dir/<name>.jsonl for appending.
func OpenJournal(dir, name string) (*Journal, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(dir, name+".jsonl"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	return &Journal{f: f}, nil
}

// Record appends e and syncs it to disk.
func (j *Journal) Record(e JournalEntry) error {
	if j == nil {
		return nil
	}
	b, _ := json.Marshal(e)
	j.mu.Lock()
	defer j.mu.Unlock()
	if _, err := j.f.Write(append(b, '\n')); err != nil {
		return err
	}
	return j.f.Sync()
}

// Close closes the journal file.
func (j *Journal) Close() error {
	if j == nil {
		return nil
	}
	return j.f.Close()
}

// ReadJournals returns the entries under prefix from every *.jsonl file in dir. A torn last line (a run
// killed mid-write) is skipped.
func ReadJournals(dir, prefix string) ([]JournalEntry, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	if err != nil {
		return nil, err
	}
	var out []JournalEntry
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			var e JournalEntry
			if json.Unmarshal(sc.Bytes(), &e) == nil && strings.HasPrefix(e.ProductId, prefix) {
				out = append(out, e)
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
