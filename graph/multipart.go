package graph

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/siseri/siseri/backend/apperr"
)

// uploads is the transport of the GraphQL multipart request spec (files sent
// to submitFile). It replaces gqlgen's transport.MultipartForm, which reads a
// file whole into memory whenever the request's Content-Length is below
// MaxMemory, and so whenever it is unknown (-1, a chunked upload): a 1 GiB
// chunked upload was held in memory. Here a file part is kept in memory only
// up to MaxMemory bytes and spooled to a temporary file beyond, whatever the
// request says; the operations and map parts are bounded too.
type uploads struct {
	// MaxUploadSize caps the whole request.
	MaxUploadSize int64
	// MaxMemory is the largest file kept in memory; a larger one goes to a
	// temporary file, removed once the request is answered.
	MaxMemory int64
	// MaxOperationsSize caps the operations part (the query and variables)
	// and the map part.
	MaxOperationsSize int64
}

var _ graphql.Transport = uploads{}

// Supports implements graphql.Transport.
func (u uploads) Supports(r *http.Request) bool {
	if r.Header.Get("Upgrade") != "" {
		return false
	}
	mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && r.Method == http.MethodPost && mediaType == "multipart/form-data"
}

// uploadError answers a request that does not follow the spec.
func uploadError(w http.ResponseWriter, status int, format string, args ...any) {
	if status == http.StatusUnprocessableEntity {
		status = http.StatusBadRequest // a malformed request (GraphQL over HTTP)
	}
	writeResponse(w, status, &graphql.Response{Errors: gqlerror.List{{Message: fmt.Sprintf(format, args...),
		Extensions: map[string]any{"code": string(apperr.BadUserInput), "field": "body"}}}})
}

// bytesFR writes a size in Gio, Mio or Kio (or octets) for a message.
func bytesFR(n int64) string {
	for _, u := range []struct {
		shift int
		name  string
	}{{30, "Gio"}, {20, "Mio"}, {10, "Kio"}} {
		if n >= 1<<u.shift && n%(1<<u.shift) == 0 {
			return fmt.Sprintf("%d %s", n>>u.shift, u.name)
		}
	}
	return fmt.Sprintf("%d octets", n)
}

// decodePart decodes a JSON part of at most max bytes.
func decodePart(part io.Reader, max int64, val any) error {
	dec := json.NewDecoder(io.LimitReader(part, max+1))
	dec.UseNumber()
	if err := dec.Decode(val); err != nil {
		return err
	}
	if dec.InputOffset() > max {
		return errors.New("too large")
	}
	return nil
}

// Do implements graphql.Transport.
func (u uploads) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	w.Header().Set("Content-Type", "application/json")
	start := graphql.Now()
	if r.ContentLength > u.MaxUploadSize {
		uploadError(w, http.StatusRequestEntityTooLarge, "L'envoi dépasse la taille maximale de %s.", bytesFR(u.MaxUploadSize))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, u.MaxUploadSize)
	defer r.Body.Close()
	mr, err := r.MultipartReader()
	if err != nil {
		uploadError(w, http.StatusUnprocessableEntity, "La requête multipart est illisible.")
		return
	}
	part, err := mr.NextPart()
	if err != nil || part.FormName() != "operations" {
		uploadError(w, http.StatusUnprocessableEntity, "La première partie de la requête doit être « operations ».")
		return
	}
	var params graphql.RawParams
	if err := decodePart(part, u.MaxOperationsSize, &params); err != nil {
		uploadError(w, http.StatusUnprocessableEntity, "La partie « operations » est illisible ou dépasse %s.", bytesFR(u.MaxOperationsSize))
		return
	}
	part, err = mr.NextPart()
	if err != nil || part.FormName() != "map" {
		uploadError(w, http.StatusUnprocessableEntity, "La deuxième partie de la requête doit être « map ».")
		return
	}
	uploadsMap := map[string][]string{}
	if err := decodePart(part, u.MaxOperationsSize, &uploadsMap); err != nil {
		uploadError(w, http.StatusUnprocessableEntity, "La partie « map » est illisible ou dépasse %s.", bytesFR(u.MaxOperationsSize))
		return
	}
	var spooled []*os.File
	defer func() {
		for _, f := range spooled {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()
	for {
		part, err = mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				uploadError(w, http.StatusRequestEntityTooLarge, "L'envoi dépasse la taille maximale de %s.", bytesFR(u.MaxUploadSize))
				return
			}
			uploadError(w, http.StatusUnprocessableEntity, "Une partie de la requête multipart est illisible.")
			return
		}
		key := part.FormName()
		paths := uploadsMap[key]
		if len(paths) == 0 {
			uploadError(w, http.StatusUnprocessableEntity, "La partie « %s » n'est pas dans « map ».", key)
			return
		}
		delete(uploadsMap, key)
		open, size, err := u.spool(part, &spooled)
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				uploadError(w, http.StatusRequestEntityTooLarge, "L'envoi dépasse la taille maximale de %s.", bytesFR(u.MaxUploadSize))
				return
			}
			uploadError(w, http.StatusUnprocessableEntity, "Le fichier « %s » n'a pas pu être reçu.", part.FileName())
			return
		}
		for _, path := range paths {
			f, err := open()
			if err != nil {
				uploadError(w, http.StatusInternalServerError, "Le fichier « %s » n'a pas pu être relu.", part.FileName())
				return
			}
			up := graphql.Upload{File: f, Size: size, Filename: part.FileName(), ContentType: part.Header.Get("Content-Type")}
			if gerr := params.AddUpload(up, key, path); gerr != nil {
				writeResponse(w, http.StatusBadRequest, &graphql.Response{Errors: gqlerror.List{gerr}})
				return
			}
		}
	}
	for key := range uploadsMap {
		uploadError(w, http.StatusUnprocessableEntity, "La partie « %s » annoncée dans « map » est absente.", key)
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	rc, gerr := exec.CreateOperationContext(r.Context(), &params)
	if gerr != nil {
		resp := exec.DispatchError(graphql.WithOperationContext(r.Context(), rc), gerr)
		status := http.StatusOK
		if errcode.GetErrorKind(gerr) == errcode.KindProtocol {
			status = http.StatusBadRequest
		}
		writeResponse(w, status, resp)
		return
	}
	responses, ctx := exec.DispatchOperation(r.Context(), rc)
	writeResponse(w, http.StatusOK, responses(ctx))
}

// spool receives a file part: in memory up to MaxMemory bytes, else in a
// temporary file (added to spooled, for removal). open gives a reader from
// the file's start, one for each variable the file goes to.
func (u uploads) spool(part io.Reader, spooled *[]*os.File) (open func() (io.ReadSeeker, error), size int64, err error) {
	var head bytes.Buffer
	n, err := io.Copy(&head, io.LimitReader(part, u.MaxMemory+1))
	if err != nil {
		return nil, 0, err
	}
	if n <= u.MaxMemory {
		b := head.Bytes()
		return func() (io.ReadSeeker, error) { return bytes.NewReader(b), nil }, n, nil
	}
	f, err := os.CreateTemp("", "siseri-upload-")
	if err != nil {
		return nil, 0, err
	}
	*spooled = append(*spooled, f)
	if _, err := f.Write(head.Bytes()); err != nil {
		return nil, 0, err
	}
	head = bytes.Buffer{}
	rest, err := io.Copy(f, part)
	if err != nil {
		return nil, 0, err
	}
	name := f.Name()
	return func() (io.ReadSeeker, error) {
		g, err := os.Open(name)
		if err == nil {
			*spooled = append(*spooled, g)
		}
		return g, err
	}, n + rest, nil
}
