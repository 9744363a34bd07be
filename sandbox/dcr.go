package sandbox

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

const (
	statementIssuer        = "handoff-sandbox"
	grantClientCredentials = "client_credentials"
	// clientIdleTTL is how long a client lives after its last access token: long
	// past any access token, so that only an application nobody runs any more is
	// forgotten (and one that comes back registers again on invalid_client).
	clientIdleTTL = 30 * 24 * time.Hour
	// maxTokensPerClient is how many access tokens of one client live at once: a new
	// one past it ends the client's oldest, so that a flood of token requests holds at
	// most this many per client, whatever the access-token lifetime. An application
	// keeps one token for its lifetime (the client package does), so this is far
	// beyond what one needs.
	maxTokensPerClient = 100
)

// statementClaims are the claims of a software statement the sandbox signs.
type statementClaims struct {
	jwt.Claims
	SoftwareID      string `json:"software_id"`
	SoftwareVersion string `json:"software_version"`
}

// secretHash is how client secrets and access tokens are kept: they are 256 random
// bits, so a plain SHA-256 is enough to make the store useless to a reader.
func secretHash(secret string) string {
	var in [128]byte // a conversion would allocate past 32 bytes; an access token is 43
	sum := sha256.Sum256(append(in[:0], secret...))
	return hexDigest(sum[:])
}

// hexDigest is hex.EncodeToString of a SHA-256 sum, in one allocation rather than two.
func hexDigest(sum []byte) string {
	var text [2 * sha256.Size]byte
	return string(hex.AppendEncode(text[:0], sum))
}

func newOpaqueToken() string { return base64.RawURLEncoding.EncodeToString(newSecret()) }

// handleSoftwareStatement signs a statement, standing in for the programmer's
// dashboard.
func (s *Server) handleSoftwareStatement(w http.ResponseWriter, r *http.Request) {
	if s.cfg.NoOpenRegistration {
		writeError(w, errClosedStatement)
		return
	}
	now := s.now()
	st, err := signJWT(s.keys.statement, statementClaims{
		Claims: jwt.Claims{
			Issuer: statementIssuer, Subject: "handoff", ID: s.newID(),
			IssuedAt: jwt.NewNumericDate(now),
		},
		SoftwareID:      s.newID(),
		SoftwareVersion: "1.0.0",
	})
	if err != nil {
		s.internal(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"software_statement": st})
}

type registerRequest struct {
	SoftwareStatement string `json:"software_statement"`
	RedirectURI       string `json:"redirect_uri"`
}

type registerResponse struct {
	ClientID     string   `json:"client_id"`
	ClientSecret string   `json:"client_secret"`
	IssuedAt     int64    `json:"client_id_issued_at"`
	RedirectURIs []string `json:"redirect_uris"`
	GrantTypes   []string `json:"grant_types"`
	Scopes       []string `json:"scopes"`
}

func (s *Server) handleRegister(w http.ResponseWriter, r *http.Request) {
	if !isJSON(r) {
		writeOAuthError(w, newOAuthError(400, "invalid_request", "Content-Type must be application/json"))
		return
	}
	var req registerRequest
	if err := decodeJSON(r, &req); err != nil {
		writeOAuthError(w, newOAuthError(400, "invalid_request", describeBodyError(err)))
		return
	}
	if _, err := parseDeviceInfo(header(r, hdrDeviceInfo)); err != nil {
		writeOAuthError(w, newOAuthError(400, "invalid_request", "X-Device-Info must be the Base64 of a JSON object"))
		return
	}
	if req.SoftwareStatement == "" {
		writeOAuthError(w, newOAuthError(400, "invalid_request", "software_statement is required"))
		return
	}
	var redirects []string
	if req.RedirectURI != "" {
		u, err := url.Parse(req.RedirectURI)
		if err != nil || !u.IsAbs() || len(req.RedirectURI) > 2048 {
			writeOAuthError(w, newOAuthError(400, "invalid_request", "redirect_uri must be an absolute URL"))
			return
		}
		redirects = []string{req.RedirectURI}
	}
	claims, oerr := s.checkStatement(req.SoftwareStatement)
	if oerr != nil {
		writeOAuthError(w, oerr)
		return
	}
	now := s.now()
	secret := newOpaqueToken()
	c := Client{ID: s.newID(), SecretHash: secretHash(secret), SoftwareID: claims.SoftwareID, RedirectURIs: redirects,
		IssuedAt: now, ExpiresAt: now.Add(clientIdleTTL)}
	if err := s.store.Batch(func(tx Tx) error { return tx.PutClient(c) }); err != nil {
		s.internal(w, r, err)
		return
	}
	if redirects == nil {
		redirects = []string{}
	}
	writeJSON(w, http.StatusCreated, registerResponse{
		ClientID: c.ID, ClientSecret: secret, IssuedAt: now.UnixMilli(), RedirectURIs: redirects,
		GrantTypes: []string{grantClientCredentials}, Scopes: []string{"api:client:v2"},
	})
}

// checkStatement accepts only statements this sandbox signed.
func (s *Server) checkStatement(raw string) (statementClaims, *oauthError) {
	var c statementClaims
	tok, err := jwt.ParseSigned(raw, tokenAlgorithms)
	if err != nil || len(tok.Headers) != 1 {
		return c, newOAuthError(400, "invalid_software_statement", "software_statement is not a JWT signed with HS256")
	}
	if tok.Headers[0].KeyID != s.keys.statement.ID {
		return c, newOAuthError(400, "unapproved_software_statement", "this sandbox did not sign that software statement; get one from GET /sandbox/software-statement")
	}
	if err := tok.Claims(s.keys.statement.Secret, &c); err != nil {
		if errors.Is(err, jose.ErrCryptoFailure) {
			return c, newOAuthError(400, "unapproved_software_statement", "this sandbox did not sign that software statement; get one from GET /sandbox/software-statement")
		}
		return c, newOAuthError(400, "invalid_software_statement", "software_statement claims are malformed")
	}
	if c.Issuer != statementIssuer || c.SoftwareID == "" {
		return c, newOAuthError(400, "invalid_software_statement", "software_statement lacks its issuer or software_id")
	}
	return c, nil
}

type tokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
	CreatedAt   int64  `json:"created_at"`
}

func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/x-www-form-urlencoded" {
		writeOAuthError(w, newOAuthError(400, "invalid_request", "send a form (application/x-www-form-urlencoded) with client_id, client_secret and grant_type"))
		return
	}
	if err := r.ParseForm(); err != nil {
		writeOAuthError(w, newOAuthError(400, "invalid_request", "the form body is malformed or larger than 64 KiB"))
		return
	}
	id, secret := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	if bid, bsecret, ok := r.BasicAuth(); ok && id == "" && secret == "" {
		id, secret = bid, bsecret
	}
	grant := r.PostForm.Get("grant_type")
	switch {
	case grant == "" || id == "" || secret == "":
		writeOAuthError(w, newOAuthError(400, "invalid_request", "client_id, client_secret and grant_type are required"))
		return
	case grant != grantClientCredentials:
		writeOAuthError(w, newOAuthError(400, "unsupported_grant_type", "only grant_type=client_credentials is supported"))
		return
	}
	now := s.now()
	token := newOpaqueToken()
	err := s.store.Batch(func(tx Tx) error { // the client is read afresh on each run
		c, err := tx.Client(id)
		if err != nil {
			return err
		}
		if subtle.ConstantTimeCompare([]byte(c.SecretHash), []byte(secretHash(secret))) != 1 {
			return ErrNotFound
		}
		if !c.ExpiresAt.IsZero() {
			if !now.Before(c.ExpiresAt) {
				return ErrNotFound
			}
			c.ExpiresAt = now.Add(clientIdleTTL)
		}
		hash := secretHash(token)
		c.Tokens = append(c.Tokens, hash)
		for len(c.Tokens) > maxTokensPerClient { // the oldest goes
			if err := tx.DeleteAccessToken(c.Tokens[0]); err != nil {
				return err
			}
			c.Tokens = c.Tokens[1:]
		}
		if err := tx.PutClient(c); err != nil {
			return err
		}
		return tx.PutAccessToken(AccessToken{Hash: hash, ClientID: id, CreatedAt: now, ExpiresAt: now.Add(s.cfg.AccessTokenTTL)})
	})
	if errors.Is(err, ErrNotFound) {
		writeOAuthError(w, newOAuthError(401, "invalid_client", "unknown client_id or wrong client_secret; register again if the sandbox lost its data"))
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, tokenResponse{
		AccessToken: token, TokenType: "bearer",
		ExpiresIn: int64(s.cfg.AccessTokenTTL / time.Second), CreatedAt: now.UnixMilli(),
	})
}

// bearer returns the access token of the Authorization header, or "".
func bearer(r *http.Request) string {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(tok)
}

// checkAccessToken answers whether the request's bearer token is live, inside tx.
func (s *Server) checkAccessToken(tx Tx, r *http.Request, now time.Time) (*apiError, error) {
	tok := bearer(r)
	if tok == "" {
		return errNoAccessToken, nil
	}
	at, err := tx.AccessToken(secretHash(tok))
	if errors.Is(err, ErrNotFound) {
		return errBadAccessToken, nil
	}
	if err != nil {
		return nil, err
	}
	if !now.Before(at.ExpiresAt) {
		return errBadAccessToken, nil
	}
	return nil, nil
}

func isJSON(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == "application/json"
}

// decodeJSON reads one JSON value from the (capped) body.
func decodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data after the JSON value")
	}
	return nil
}

func describeBodyError(err error) string {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return "the request body is larger than 64 KiB"
	}
	return "the request body is not the expected JSON object"
}
