package slack

import (
	"html/template"
	"net/http"
)

// page is what the OAuth callback shows the admin's browser.
type page struct {
	Title string
	Text  string
	Done  bool // installed: say what to do next
	Again bool // failed: offer the install link
}

// pageHTML is small and self-contained: no script, no external resource.
var pageHTML = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body { font: 17px/1.5 system-ui, sans-serif; max-width: 34em; margin: 4em auto; padding: 0 1em; color: #1d1c1d; }
h1 { font-size: 1.6em; color: {{if .Done}}#2f4f4f{{else}}#a0342b{{end}}; }
a { color: #1264a3; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p>{{.Text}}</p>
{{if .Again}}<p><a href="/slack/install">Start the installation again</a></p>{{end}}
{{if .Done}}<p>You can close this tab.</p>{{end}}
</body>
</html>
`))

// writePage answers an HTML page with the status.
func writePage(w http.ResponseWriter, status int, p page) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.WriteHeader(status)
	_ = pageHTML.Execute(w, p)
}
