package server

import (
	"embed"
	"io/fs"
	"net/http"
	"os"
	"path"
	"strings"
)

//go:embed static
var fallbackFS embed.FS

// spaHandler serves the built single-page app from dir, falling back to
// index.html for client-side routes; without a built app it serves the minimal
// French page embedded in the binary.
func spaHandler(dir string) http.Handler {
	var root fs.FS
	if dir != "" {
		if st, err := os.Stat(path.Join(dir, "index.html")); err == nil && !st.IsDir() {
			root = os.DirFS(dir)
		}
	}
	if root == nil {
		sub, _ := fs.Sub(fallbackFS, "static")
		root = sub
	}
	files := http.FileServer(http.FS(root))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if p == "" {
			p = "index.html"
		}
		if _, err := fs.Stat(root, p); err != nil {
			// A client-side route: serve the app shell.
			r = r.Clone(r.Context())
			r.URL.Path = "/"
		}
		if strings.HasPrefix(p, "assets/") {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		files.ServeHTTP(w, r)
	})
}

// getOnly answers 405 to anything but GET and HEAD.
func getOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "Méthode non autorisée.", http.StatusMethodNotAllowed)
			return
		}
		next.ServeHTTP(w, r)
	})
}
