package emulator

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// createdFile, in the data directory, holds when its instances were created, so Detail.UtcCreate
// (ref §6.1) stays the same across restarts of a persistent emulator.
const createdFile = "created"

// createdAt returns the creation time recorded in dir, recording now if there is none yet. The file is
// written to a temporary name and renamed, so a crash never leaves half a timestamp.
func createdAt(dir string, now time.Time) (time.Time, error) {
	path := filepath.Join(dir, createdFile)
	b, err := os.ReadFile(path)
	if err == nil {
		t, perr := time.Parse(time.RFC3339Nano, strings.TrimSpace(string(b)))
		if perr != nil {
			return time.Time{}, fmt.Errorf("%s: %w", path, perr)
		}
		return t, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return time.Time{}, err
	}
	tmp := path + ".tmp"
	if err := writeSynced(tmp, []byte(now.UTC().Format(time.RFC3339Nano)+"\n")); err != nil {
		return time.Time{}, err
	}
	return now, os.Rename(tmp, path)
}

func writeSynced(path string, b []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
