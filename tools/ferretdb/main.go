// Command ferretdb runs an embedded FerretDB (SQLite backend) for tests and the demo API.
//
// It listens on 127.0.0.1 (a free port unless -listen says otherwise), keeps its data in
// -data-dir (a temporary directory, removed on exit, unless given), prints its MongoDB URI
// on one line of stdout when it accepts connections, and exits cleanly on SIGINT/SIGTERM
// or when stdin reaches EOF, which is how it notices that the process that started it died.
// Clients reach FerretDB through a proxy that makes single-document writes atomic (proxy.go).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "TCP address to listen on (port 0 picks a free port)")
	dataDir := flag.String("data-dir", "", "directory for the SQLite files (default: a temporary directory removed on exit)")
	watchStdin := flag.Bool("exit-on-stdin-eof", true, "exit when stdin is closed (the parent process died)")
	logLevel := flag.String("log-level", "warn", "FerretDB log level: debug, info, warn or error")
	flag.Parse()

	if err := run(*listen, *dataDir, *watchStdin, *logLevel); err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb:", err)
		os.Exit(1)
	}
}

func run(listen, dataDir string, watchStdin bool, logLevel string) error {
	dir, cleanup, err := prepareDataDir(dataDir)
	if err != nil {
		return err
	}
	defer cleanup()

	var level slog.Level
	if err := level.UnmarshalText([]byte(logLevel)); err != nil {
		return fmt.Errorf("invalid -log-level %q: %w", logLevel, err)
	}

	public, err := net.Listen("tcp", listen)
	if err != nil {
		return err
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Logger:    slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})),
		Handler:   "sqlite",
		SQLiteURL: "file:" + dir + "/",
	})
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if watchStdin {
		ctx = cancelOnStdinEOF(ctx)
	}

	backend, err := backendAddress(f.MongoDBURI())
	if err != nil {
		return err
	}
	p := &proxy{backend: backend}

	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()
	go p.serve(ctx, public)

	fmt.Printf("mongodb://%s/\n", public.Addr())

	return <-done
}

func backendAddress(uri string) (string, error) {
	u, err := url.Parse(uri)
	if err != nil {
		return "", fmt.Errorf("unexpected FerretDB URI %q: %w", uri, err)
	}
	return u.Host, nil
}

// prepareDataDir returns an absolute data directory and the function that removes it
// when it is a temporary one.
func prepareDataDir(dataDir string) (string, func(), error) {
	if dataDir == "" {
		tmp, err := os.MkdirTemp("", "ferretdb-")
		if err != nil {
			return "", nil, err
		}
		return tmp, func() { os.RemoveAll(tmp) }, nil
	}

	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return "", nil, err
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return "", nil, err
	}
	return abs, func() {}, nil
}

func cancelOnStdinEOF(parent context.Context) context.Context {
	ctx, cancel := context.WithCancel(parent)
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		cancel()
	}()
	return ctx
}
