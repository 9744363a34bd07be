package keystore

import (
	"slices"
	"sync"
)

// Memory keeps records for the life of the process only.
type Memory struct {
	mu      sync.Mutex
	records map[string][]byte
}

// NewMemory returns an empty in-memory store.
func NewMemory() *Memory { return &Memory{records: map[string][]byte{}} }

func (m *Memory) Get(account string) ([]byte, error) {
	if err := checkAccount(account); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.records[account]
	if !ok {
		return nil, ErrNotFound
	}
	return slices.Clone(v), nil
}

func (m *Memory) Set(account string, value []byte) error {
	if err := checkAccount(account); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.records[account] = slices.Clone(value)
	return nil
}

func (m *Memory) Delete(account string) error {
	if err := checkAccount(account); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.records, account)
	return nil
}

func (m *Memory) Accounts() ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]string, 0, len(m.records))
	for a := range m.records {
		out = append(out, a)
	}
	slices.Sort(out)
	return out, nil
}

func (m *Memory) Kind() string { return KindMemory }
