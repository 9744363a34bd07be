package client

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// EnvAdminToken names the environment variable that holds a sandbox's admin token.
const EnvAdminToken = "HANDOFF_ADMIN_TOKEN"

// LoadAdminToken finds the admin token for the sandbox at server: the flag's value,
// else $HANDOFF_ADMIN_TOKEN, else the file a local sandbox without --admin-token
// wrote in stateDir (stateDir/admin-tokens/<port>, as sandbox.SaveAdminToken does).
func LoadAdminToken(flag, stateDir, server string) (string, error) {
	if t := strings.TrimSpace(flag); t != "" {
		return t, nil
	}
	if t := strings.TrimSpace(os.Getenv(EnvAdminToken)); t != "" {
		return t, nil
	}
	u, err := url.Parse(server)
	if err != nil || u.Port() == "" || stateDir == "" {
		return "", errNoAdminToken
	}
	path := filepath.Join(stateDir, "admin-tokens", u.Port())
	raw, err := os.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return "", errNoAdminToken
	case err != nil:
		return "", &InputError{Msg: fmt.Sprintf("Cannot read the sandbox admin token in %s: check its owner and mode, or pass --admin-token.", path)}
	}
	t := strings.TrimSpace(string(raw))
	if t == "" {
		return "", errNoAdminToken
	}
	return t, nil
}
