package certificate

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/url"
	"regexp"
	"strings"
)

// Claim is what a certificate's signatures assert: which certificate, whose
// (initials only), when, and over which content. It carries no health data.
type Claim struct {
	// ID is the certificate number.
	ID string `json:"id"`
	// Holder is the holder's initials, e.g. « J. D. ».
	Holder string `json:"holder"`
	// Issued is the date of issue, YYYY-MM-DD.
	Issued string `json:"issued"`
	// Content is the SHA-256 (hex) of the certified results (the QR claim)
	// or of the PDF bytes before the seal (the file seal).
	Content string `json:"content"`
}

// canonical is the signed payload: JSON with sorted keys, no spaces, with the
// kind of signature so that a QR signature never passes for a file seal.
func (c Claim) canonical(kind string) []byte {
	// encoding/json writes map keys sorted.
	b, _ := json.Marshal(map[string]string{"v": "1", "kind": kind, "id": c.ID, "holder": c.Holder, "issued": c.Issued, "content": c.Content})
	return b
}

const (
	kindQR   = "qr"
	kindFile = "file"
)

var b64 = base64.RawURLEncoding

// ErrNotAuthentic is returned for a certificate whose signature does not
// verify: modified, forged, or signed by an unknown key.
var ErrNotAuthentic = errors.New("certificate: not authentic")

// SignQuery returns the query of the verification URL of c: the claim and its
// signature by the current key.
func (k *Keyring) SignQuery(c Claim) url.Values {
	kid, sig := k.sign(c.canonical(kindQR))
	return url.Values{"t": {c.Holder}, "d": {c.Issued}, "c": {c.Content}, "k": {kid}, "s": {b64.EncodeToString(sig)}}
}

// VerifyQuery checks the claim of a verification URL (id from its path) and
// returns it when authentic.
func (k *Keyring) VerifyQuery(id string, q url.Values) (Claim, error) {
	c := Claim{ID: id, Holder: q.Get("t"), Issued: q.Get("d"), Content: q.Get("c")}
	sig, err := b64.DecodeString(q.Get("s"))
	if err != nil || !k.verify(q.Get("k"), c.canonical(kindQR), sig) {
		return Claim{}, ErrNotAuthentic
	}
	return c, nil
}

// sealMarker starts the comment line that carries the file seal.
const sealMarker = "\n%SISERI-SEAL "

// sealLine matches the whole tail of a sealed file: key id, claim, signature.
var sealLine = regexp.MustCompile(`\A%SISERI-SEAL ([A-Za-z0-9_-]{1,64}) ([A-Za-z0-9_-]+) ([A-Za-z0-9_-]+)\n%%EOF\n\z`)

// Seal appends to pdf the seal of c over every byte of pdf: a PDF comment
// after the document, which readers ignore, then an end-of-file marker.
func (k *Keyring) Seal(pdf []byte, c Claim) []byte {
	sum := sha256.Sum256(pdf)
	c.Content = hex.EncodeToString(sum[:])
	payload := c.canonical(kindFile)
	kid, sig := k.sign(payload)
	out := bytes.NewBuffer(append([]byte(nil), pdf...))
	out.WriteString(sealMarker[:1])
	out.WriteString(strings.Join([]string{sealMarker[1:] + kid, b64.EncodeToString(payload), b64.EncodeToString(sig)}, " "))
	out.WriteString("\n%%EOF\n")
	return out.Bytes()
}

// VerifyFile checks the seal of a certificate file and returns its claim when
// the file is exactly the one the registry issued.
func (k *Keyring) VerifyFile(file []byte) (Claim, error) {
	i := bytes.LastIndex(file, []byte(sealMarker))
	if i < 0 {
		return Claim{}, ErrNotAuthentic
	}
	body, tail := file[:i], file[i+1:]
	m := sealLine.FindSubmatch(tail)
	if m == nil {
		return Claim{}, ErrNotAuthentic
	}
	payload, err1 := b64.DecodeString(string(m[2]))
	sig, err2 := b64.DecodeString(string(m[3]))
	if err1 != nil || err2 != nil || !k.verify(string(m[1]), payload, sig) {
		return Claim{}, ErrNotAuthentic
	}
	var fields map[string]string
	if err := json.Unmarshal(payload, &fields); err != nil || fields["kind"] != kindFile || fields["v"] != "1" {
		return Claim{}, ErrNotAuthentic
	}
	c := Claim{ID: fields["id"], Holder: fields["holder"], Issued: fields["issued"], Content: fields["content"]}
	sum := sha256.Sum256(body)
	if c.Content != hex.EncodeToString(sum[:]) {
		return Claim{}, ErrNotAuthentic
	}
	return c, nil
}
