package keystore

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"unicode/utf8"
)

// fileName is the file store's file in its directory.
const fileName = "keystore.json"

// FilePath is where the file store keeps its records: dir/keystore.json, dir being
// os.UserConfigDir()/handoff when empty.
func FilePath(dir string) (string, error) {
	if dir == "" {
		config, err := os.UserConfigDir()
		if err != nil {
			return "", &fileError{msg: "keystore: no configuration directory to keep the key file in; set HOME or XDG_CONFIG_HOME", cause: err}
		}
		dir = filepath.Join(config, "handoff")
	}
	return filepath.Join(dir, fileName), nil
}

// File keeps records in one JSON file, unencrypted, readable by its owner only (0600,
// in a 0700 directory). Each write replaces the whole file through a temporary file
// and a rename, so a reader never sees half a file, under a lock (see lockDir), so
// that processes sharing the file do not lose each other's writes. The file is removed when its last
// record is.
type File struct {
	path string
	mu   sync.Mutex
}

// fileRecord holds a value as text when it is UTF-8 (the JSON records handoff keeps),
// so that the file says plainly what it holds, and in base64 otherwise.
type fileRecord struct {
	Text   *string `json:"text,omitempty"`
	Binary []byte  `json:"base64,omitempty"`
}

type fileContent struct {
	Records map[string]fileRecord `json:"records"`
}

// Path is the file the store reads and writes.
func (f *File) Path() string { return f.path }

func (f *File) Kind() string { return KindFile }

func (f *File) Get(account string) ([]byte, error) {
	if err := checkAccount(account); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	c, err := f.read()
	if err != nil {
		return nil, err
	}
	r, ok := c.Records[account]
	if !ok {
		return nil, ErrNotFound
	}
	if r.Text != nil {
		return []byte(*r.Text), nil
	}
	return slices.Clone(r.Binary), nil
}

func (f *File) Set(account string, value []byte) error {
	if err := checkAccount(account); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := os.MkdirAll(filepath.Dir(f.path), 0o700); err != nil {
		return fileFailure("cannot create the key file's directory", err)
	}
	unlock, err := lockDir(filepath.Dir(f.path))
	if err != nil {
		return fileFailure("cannot lock the key file's directory", err)
	}
	defer unlock()
	c, err := f.read()
	if err != nil {
		return err
	}
	var r fileRecord
	if utf8.Valid(value) {
		s := string(value)
		r.Text = &s
	} else {
		r.Binary = slices.Clone(value)
	}
	c.Records[account] = r
	return f.write(c)
}

func (f *File) Delete(account string) error {
	if err := checkAccount(account); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	unlock, err := lockDir(filepath.Dir(f.path))
	if errors.Is(err, fs.ErrNotExist) {
		return nil // no directory, no file, nothing to delete; and nothing is created
	}
	if err != nil {
		return fileFailure("cannot lock the key file's directory", err)
	}
	defer unlock()
	c, err := f.read()
	if err != nil {
		return err
	}
	if _, ok := c.Records[account]; !ok {
		return nil
	}
	delete(c.Records, account)
	return f.write(c)
}

func (f *File) Accounts() ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, err := f.read()
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(c.Records))
	for a := range c.Records {
		out = append(out, a)
	}
	slices.Sort(out)
	return out, nil
}

// read loads the file; a missing file is an empty store.
func (f *File) read() (fileContent, error) {
	c := fileContent{Records: map[string]fileRecord{}}
	raw, err := os.ReadFile(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, fileFailure("cannot read the key file "+f.path, err)
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return c, &fileError{msg: "keystore: " + f.path + " is not a handoff key file (it is damaged, or something else wrote it); move it away or delete it", cause: err}
	}
	if c.Records == nil {
		c.Records = map[string]fileRecord{}
	}
	return c, nil
}

// write replaces the file with c, or removes it when c holds nothing.
func (f *File) write(c fileContent) error {
	if len(c.Records) == 0 {
		if err := os.Remove(f.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fileFailure("cannot remove the empty key file", err)
		}
		return nil
	}
	raw, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(f.path), ".keystore-*.tmp") // created 0600
	if err != nil {
		return fileFailure("cannot write the key file", err)
	}
	_, err = tmp.Write(raw)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), f.path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fileFailure("cannot write the key file", err)
	}
	return nil
}
