package keystore

import (
	"encoding/binary"
	"errors"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/zalando/go-keyring"
	"golang.org/x/sys/unix"
)

// The kernel keyring store keeps handoff's entries as "user" keys, described
// "handoff:<entry>", in the user's persistent keyring: kept by the kernel (never on
// disk), shared by every process of the user, and dropped after
// /proc/sys/kernel/keys/persistent_keyring_expiry (3 days by default) without use, or
// at reboot. Kernels built without persistent keyrings get the user keyring instead,
// which lasts while a process of the user runs. The entries (records, parts, _index)
// are those of the other keyrings: the Keyring store's logic runs over kernelKeyring.

// openKernel returns the kernel keyring store, or an *UnavailableError when the
// kernel refuses its keyring calls (a container's seccomp profile often does).
func openKernel(timeout time.Duration) (*Keyring, error) {
	var ring int
	var err error
	onKernelThread(func() { ring, err = userRing() })
	if err != nil {
		return nil, kernelUnavailable(err)
	}
	k := newKernelKeyring(ring, timeout)
	if err := k.probe(); err != nil {
		return nil, err
	}
	return k, nil
}

// newKernelKeyring is the kernel keyring store on the keyring ring.
func newKernelKeyring(ring int, timeout time.Duration) *Keyring {
	return &Keyring{kind: KindKernel, calls: newCaller(kernelKeyring{ring: ring}), timeout: timeout}
}

// userRing is the user's persistent keyring, linked into the calling thread's
// keyring so that the thread possesses it (a key's owner may only see it; its
// possessor may read it), else the user keyring, which a special id names possessed.
// It must run on the kernel thread.
func userRing() (int, error) {
	ring, err := unix.KeyctlInt(unix.KEYCTL_GET_PERSISTENT, -1, unix.KEY_SPEC_THREAD_KEYRING, 0, 0)
	if err == nil {
		return ring, nil
	}
	if _, err := unix.KeyctlGetKeyringID(unix.KEY_SPEC_USER_KEYRING, true); err != nil {
		return 0, err
	}
	return unix.KEY_SPEC_USER_KEYRING, nil
}

// kernelCalls feeds the one OS thread that makes every keyctl call of the process.
// Linux keeps keyrings in a thread's credentials: the persistent keyring linked in
// the thread keyring is possessed by that thread alone, and Go moves goroutines
// between threads. Linking it in the session keyring instead would change a keyring
// that other processes share.
var kernelCalls = sync.OnceValue(func() chan<- func() {
	calls := make(chan func())
	go func() {
		runtime.LockOSThread() // for good: the thread keeps the keyring link
		for fn := range calls {
			fn()
		}
	}()
	return calls
})

// onKernelThread runs fn on the kernel thread and waits for it.
func onKernelThread(fn func()) {
	done := make(chan struct{})
	kernelCalls() <- func() { defer close(done); fn() }
	<-done
}

// kernelKeyring is go-keyring's interface over one kernel keyring, so that the Keyring
// store's logic (parts, index) and its timeouts run unchanged on it. Its exported
// methods run on the kernel thread; the others must be called there.
type kernelKeyring struct{ ring int }

const kernelKeyType = "user"

func kernelDescription(service, user string) string { return service + ":" + user }

// find is the id of an entry's key. KEYCTL_SEARCH rather than request_key: the latter
// asks /sbin/request-key to make up a missing key.
func (k kernelKeyring) find(service, user string) (int, error) {
	id, err := unix.KeyctlSearch(k.ring, kernelKeyType, kernelDescription(service, user), 0)
	if errors.Is(err, unix.ENOKEY) || errors.Is(err, unix.EKEYEXPIRED) || errors.Is(err, unix.EKEYREVOKED) {
		return 0, keyring.ErrNotFound
	}
	if err != nil {
		return 0, kernelUnavailable(err)
	}
	return id, nil
}

func (k kernelKeyring) Get(service, user string) (v string, err error) {
	onKernelThread(func() { v, err = k.get(service, user) })
	return v, err
}

func (k kernelKeyring) Set(service, user, password string) (err error) {
	onKernelThread(func() { err = k.set(service, user, password) })
	return err
}

func (k kernelKeyring) Delete(service, user string) (err error) {
	onKernelThread(func() { err = k.delete(service, user) })
	return err
}

func (k kernelKeyring) DeleteAll(service string) (err error) {
	onKernelThread(func() { err = k.deleteAll(service) })
	return err
}

func (k kernelKeyring) get(service, user string) (string, error) {
	id, err := k.find(service, user)
	if err != nil {
		return "", err
	}
	buf := make([]byte, maxPart+64)
	for {
		n, err := unix.KeyctlBuffer(unix.KEYCTL_READ, id, buf, 0)
		if errors.Is(err, unix.ENOKEY) || errors.Is(err, unix.EKEYEXPIRED) || errors.Is(err, unix.EKEYREVOKED) {
			return "", keyring.ErrNotFound // unlinked since the search
		}
		if err != nil {
			return "", kernelUnavailable(err)
		}
		if n <= len(buf) {
			v := string(buf[:n])
			if strings.HasPrefix(v, emptyEscape) {
				v = v[1:]
			}
			return v, nil
		}
		buf = make([]byte, n)
	}
}

// emptyEscape starts the payload of a value that is empty or starts with it: the
// kernel refuses a "user" key with no payload. Every other value is stored as is, as
// keyctl shows it.
const emptyEscape = "\x00"

// set adds the key, or updates the payload of the key of that description already in
// the ring (add_key does either).
func (k kernelKeyring) set(service, user, password string) error {
	if password == "" || strings.HasPrefix(password, emptyEscape) {
		password = emptyEscape + password
	}
	if _, err := unix.AddKey(kernelKeyType, kernelDescription(service, user), []byte(password), k.ring); err != nil {
		return kernelUnavailable(err)
	}
	return nil
}

func (k kernelKeyring) delete(service, user string) error {
	id, err := k.find(service, user)
	if err != nil {
		return err
	}
	return k.unlink(id)
}

// deleteAll unlinks every key of the service from the ring, listed or not in _index.
func (k kernelKeyring) deleteAll(service string) error {
	ids, err := k.keys()
	if err != nil {
		return err
	}
	for _, id := range ids {
		desc, err := unix.KeyctlString(unix.KEYCTL_DESCRIBE, id)
		if err != nil {
			continue // gone meanwhile, or not ours to see
		}
		// "type;uid;gid;perm;description"
		f := strings.SplitN(desc, ";", 5)
		if len(f) == 5 && f[0] == kernelKeyType && strings.HasPrefix(f[4], service+":") {
			if err := k.unlink(id); err != nil {
				return err
			}
		}
	}
	return nil
}

func (k kernelKeyring) unlink(id int) error {
	_, err := unix.KeyctlInt(unix.KEYCTL_UNLINK, id, k.ring, 0, 0)
	if err != nil && !errors.Is(err, unix.ENOENT) && !errors.Is(err, unix.ENOKEY) {
		return kernelUnavailable(err)
	}
	return nil
}

// keys lists the ids of the keys linked in the ring (KEYCTL_READ on a keyring gives
// them as 32-bit integers).
func (k kernelKeyring) keys() ([]int, error) {
	buf := make([]byte, 4*64)
	for {
		n, err := unix.KeyctlBuffer(unix.KEYCTL_READ, k.ring, buf, 0)
		if err != nil {
			return nil, kernelUnavailable(err)
		}
		if n <= len(buf) {
			ids := make([]int, 0, n/4)
			for i := 0; i+4 <= n; i += 4 {
				ids = append(ids, int(int32(binary.NativeEndian.Uint32(buf[i:]))))
			}
			return ids, nil
		}
		buf = make([]byte, n)
	}
}

// kernelUnavailable says in words why the kernel refused a keyring call.
func kernelUnavailable(err error) *UnavailableError {
	var reason string
	switch {
	case errors.Is(err, unix.ENOSYS), errors.Is(err, unix.EPERM):
		reason = "the kernel keyring is not allowed here (no keyctl system call, or a seccomp profile blocks it, as containers often do)"
	case errors.Is(err, unix.EDQUOT):
		reason = "the kernel keyring quota of this user is full (see /proc/sys/kernel/keys/maxbytes and maxkeys); forget devices with 'handoff forget' or raise the quota"
	case errors.Is(err, unix.EACCES):
		reason = "the kernel refused access to the user's keyring (is it owned by another user?)"
	default:
		reason = "the kernel keyring refused the request (" + err.Error() + ")"
	}
	return &UnavailableError{Reason: reason, Err: err}
}
