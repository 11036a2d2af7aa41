package postgres

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/kith-bot/kith/reminders"
)

// describe names the server for messages: host and port, never the password.
func describe(c *pgx.ConnConfig) string {
	return net.JoinHostPort(c.Host, strconv.Itoa(int(c.Port)))
}

// connectError turns a failure to connect at start into one sentence an
// operator can act on. The cause is kept for logs only after the password
// is scrubbed from it.
func connectError(where, user string, err error) error {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code {
		case "28P01", "28000":
			return reminders.Errorf(reminders.EUNAVAILABLE, "Postgres at %s refused the login of user %q; check the user name and password in KITH_DB.", where, user)
		case "3D000":
			return reminders.Errorf(reminders.EUNAVAILABLE, "Postgres at %s has no such database (%s); create it, or fix its name in KITH_DB.", where, pg.Message)
		}
		return reminders.Errorf(reminders.EUNAVAILABLE, "Postgres at %s refused the connection (%s).", where, pg.Message)
	}
	if errors.Is(err, context.DeadlineExceeded) || pgconn.Timeout(err) || strings.Contains(err.Error(), "timeout") {
		return reminders.Errorf(reminders.EUNAVAILABLE, "Postgres at %s did not answer in time; check the host and port in KITH_DB and that the server is running.", where)
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return reminders.Errorf(reminders.EUNAVAILABLE, "the Postgres host in KITH_DB (%s) cannot be found; check its spelling.", where)
	}
	return reminders.Errorf(reminders.EUNAVAILABLE, "Postgres at %s cannot be reached (%s); check the host and port in KITH_DB and that the server is running.", where, reason(err))
}

// reason is the last, most specific part of a network error ("connection
// refused"), without the addresses and URL pgx puts before it.
func reason(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		msg = msg[i+2:]
	}
	return strings.TrimSpace(msg)
}

// pgMessage is the server's own message when there is one.
func pgMessage(err error) string {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Message
	}
	return reason(err)
}

// serverMajor is the server's major version number.
func serverMajor(conn *pgx.Conn) int {
	v := conn.PgConn().ParameterStatus("server_version")
	major, _ := strconv.Atoi(strings.SplitN(v, ".", 2)[0])
	return major
}
