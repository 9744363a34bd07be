package sandbox

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
)

// The admin token of a sandbox started without --admin-token is kept for the CLI of
// the same user on the same machine: <state dir>/admin-tokens/<port>, mode 0600 (the
// admin API answers only on loopback, where a port names one sandbox).
// client.LoadAdminToken reads the same layout.

// AdminTokenPath is where the token of the sandbox serving at baseURL is kept.
func AdminTokenPath(stateDir, baseURL string) (string, error) {
	u, err := url.Parse(baseURL)
	if err != nil || u.Port() == "" {
		return "", fmt.Errorf("the sandbox address %q has no port", baseURL)
	}
	return filepath.Join(stateDir, "admin-tokens", u.Port()), nil
}

// SaveAdminToken writes the token (0600, in a 0700 directory) and returns its path.
func SaveAdminToken(stateDir, baseURL, token string) (string, error) {
	path, err := AdminTokenPath(stateDir, baseURL)
	if err != nil {
		return "", err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", &setupError{fmt.Sprintf("cannot keep the admin token in %s: %s", dir, fileProblem(err)), err}
	}
	tmp, err := os.CreateTemp(dir, ".token-*")
	if err != nil {
		return "", &setupError{fmt.Sprintf("cannot keep the admin token in %s: %s", dir, fileProblem(err)), err}
	}
	defer os.Remove(tmp.Name()) // gone once renamed; left only on failure
	_, werr := tmp.WriteString(token + "\n")
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		return "", &setupError{fmt.Sprintf("cannot write the admin token %s: %s", path, fileProblem(werr)), werr}
	}
	return path, nil
}

// RemoveAdminToken deletes the kept token when its sandbox stops.
func RemoveAdminToken(path string) error {
	if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
		return err
	}
	return nil
}
