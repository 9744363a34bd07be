package keystore

// osKeyringKind is the store go-keyring reaches here.
const osKeyringKind = KindCredentials

const noKeyringAdvice = "to keep them, sign in to a Windows session whose Credential Manager is available"

// reachKeyring has nothing to check: go-keyring calls the Credential Manager's API.
func reachKeyring() error { return nil }
