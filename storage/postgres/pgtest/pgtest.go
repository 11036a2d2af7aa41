// Package pgtest starts a throwaway Postgres server for tests, from the
// binaries installed on the machine, so that `go test ./...` exercises the
// Postgres store wherever Postgres is installed and says why it skipped
// where it is not.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// RequireEnv names the variable that CI sets: with it, a machine without
// Postgres fails the tests instead of skipping them, so CI always runs them.
const RequireEnv = "KITH_TEST_POSTGRES"

// Password is the test server's password: not a secret, and spelled so
// that a test can look for it in messages that must not show it.
const Password = "pgtest-password"

// Server is one throwaway Postgres server in a test's temporary directory.
type Server struct {
	bin      string
	dir      string
	port     int
	opts     string              // the server's settings, again at Resume
	cred     *syscall.Credential // the unprivileged user the server runs as, when the test runs as root
	created  atomic.Int64
	template atomic.Value // string: the database NewDB copies, when set
}

// Start starts a server for the test (and its subtests) and stops it when
// the test ends. It skips the test when no Postgres binaries are found,
// unless RequireEnv is set.
func Start(t testing.TB) *Server {
	t.Helper()
	bin, err := binDir()
	if err != nil {
		if os.Getenv(RequireEnv) != "" {
			t.Fatalf("Postgres is required (%s is set) but %v", RequireEnv, err)
		}
		t.Skipf("skipping: %v (install postgresql to run the Postgres tests)", err)
	}
	s := &Server{bin: bin, dir: filepath.Join(t.TempDir(), "pg")}
	if os.Geteuid() == 0 {
		s.cred, err = unprivileged()
		if err != nil {
			t.Fatalf("Postgres refuses to run as root and %v", err)
		}
		// t.TempDir's parent is private to root; the server's user must reach its directory.
		if err := os.Chmod(filepath.Dir(filepath.Dir(s.dir)), 0o711); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(filepath.Dir(s.dir), 0o711); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(s.dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if s.cred != nil {
		if err := os.Chown(s.dir, int(s.cred.Uid), int(s.cred.Gid)); err != nil {
			t.Fatal(err)
		}
	}
	pwfile := filepath.Join(s.dir, "pw")
	err = os.WriteFile(pwfile, []byte(Password), 0o600)
	if err == nil && s.cred != nil {
		err = os.Chown(pwfile, int(s.cred.Uid), int(s.cred.Gid))
	}
	if err != nil {
		t.Fatal(err)
	}
	// Password logins over TCP, as in production, so tests can get one wrong.
	if out, err := s.run("initdb", "-D", filepath.Join(s.dir, "data"), "-U", "postgres", "--pwfile", pwfile,
		"--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--no-sync", "--locale=C"); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	// A port taken between choosing and binding makes pg_ctl fail; try a few.
	for attempt := 0; ; attempt++ {
		s.port = freePort(t)
		s.opts = strings.Join([]string{
			"-p " + strconv.Itoa(s.port),
			"-c listen_addresses=127.0.0.1",
			"-c unix_socket_directories=''",
			"-c max_connections=300",
			"-c shared_buffers=32MB",
			// Durability is not under test here, speed is welcome.
			"-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off",
		}, " ")
		out, err := s.run("pg_ctl", "-D", filepath.Join(s.dir, "data"), "-l", filepath.Join(s.dir, "log"), "-o", s.opts, "-w", "-t", "60", "start")
		if err == nil {
			break
		}
		if attempt == 3 {
			log, _ := os.ReadFile(filepath.Join(s.dir, "log"))
			t.Fatalf("pg_ctl start: %v\n%s\n%s", err, out, log)
		}
	}
	t.Cleanup(s.Stop)
	return s
}

// Stop stops the server (a fast shutdown: clients are cut off, committed
// work is kept); a stopped server stays stopped until Resume.
func (s *Server) Stop() {
	_, _ = s.run("pg_ctl", "-D", filepath.Join(s.dir, "data"), "-m", "fast", "-w", "stop")
}

// Resume starts a server that Stop stopped, on the same port, for tests
// of what happens while the database is away.
func (s *Server) Resume(t testing.TB) {
	t.Helper()
	if out, err := s.run("pg_ctl", "-D", filepath.Join(s.dir, "data"), "-l", filepath.Join(s.dir, "log"), "-o", s.opts, "-w", "-t", "60", "start"); err != nil {
		t.Fatalf("pg_ctl start: %v\n%s", err, out)
	}
}

// URL returns the URL of a database on the server.
func (s *Server) URL(db string) string {
	return fmt.Sprintf("postgres://postgres:%s@127.0.0.1:%d/%s?sslmode=disable", Password, s.port, db)
}

// NewDB creates a database and returns its URL; each test gets its own, so
// tests on one server run in parallel without seeing each other. It is
// empty, or a copy of the template when SetTemplate was called.
func (s *Server) NewDB(t testing.TB) string {
	t.Helper()
	name := fmt.Sprintf("t%d", s.created.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.URL("postgres"))
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(ctx)
	sql := "CREATE DATABASE " + name
	if v, _ := strconv.Atoi(strings.SplitN(conn.PgConn().ParameterStatus("server_version"), ".", 2)[0]); v >= 15 {
		// FILE_COPY (Postgres 15 on) copies the template's files instead of
		// logging every page: less work on a server that does not fsync.
		sql += " STRATEGY FILE_COPY"
	}
	if tmpl, _ := s.template.Load().(string); tmpl != "" {
		sql += " TEMPLATE " + tmpl
	}
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatalf("create database: %v", err)
	}
	return s.URL(name)
}

// SetTemplate makes a database, lets prepare fill it (kith's schema,
// say; prepare must close its connections), and has every later NewDB
// start as a copy of it: copying is cheaper than creating the schema again
// in each of dozens of databases.
func (s *Server) SetTemplate(t testing.TB, prepare func(url string)) {
	t.Helper()
	url := s.NewDB(t)
	prepare(url)
	s.template.Store(fmt.Sprintf("t%d", s.created.Load()))
}

// run runs one of the server's programs as the server's user.
func (s *Server) run(name string, args ...string) ([]byte, error) {
	cmd := exec.Command(filepath.Join(s.bin, name), args...)
	if s.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
		cmd.Dir = s.dir
	}
	return cmd.CombinedOutput()
}

// binDir finds the directory of initdb and pg_ctl: pg_config's answer, else
// the newest /usr/lib/postgresql/*/bin (Debian keeps them off PATH).
func binDir() (string, error) {
	var dirs []string
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		dirs = append(dirs, strings.TrimSpace(string(out)))
	}
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	for i := len(found) - 1; i >= 0; i-- {
		dirs = append(dirs, found[i])
	}
	for _, d := range dirs {
		if isExec(filepath.Join(d, "initdb")) && isExec(filepath.Join(d, "pg_ctl")) {
			return d, nil
		}
	}
	return "", errors.New("no initdb and pg_ctl were found (pg_config --bindir, /usr/lib/postgresql/*/bin)")
}

func isExec(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode()&0o111 != 0
}

// unprivileged returns the credentials of a user Postgres may run as.
func unprivileged() (*syscall.Credential, error) {
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, err1 := strconv.Atoi(u.Uid)
		gid, err2 := strconv.Atoi(u.Gid)
		if err1 == nil && err2 == nil {
			return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
		}
	}
	return nil, errors.New("there is no postgres or nobody user to run it as")
}

// freePort returns a TCP port that was free a moment ago.
func freePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
