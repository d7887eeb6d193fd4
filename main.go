package main

import (
	"context"
	"embed"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"time"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"

	"github.com/stormdesk/stormdesk/backend/cli"
	"github.com/stormdesk/stormdesk/backend/webbridge"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

//go:embed all:frontend/dist
var assets embed.FS

//go:embed build/appicon.png
var icon []byte

// Set by the build (-ldflags "-X main.version=...").
var (
	version = "dev"
	commit  = ""
	date    = ""
)

func main() {
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	build := cli.BuildInfo{Version: version, Commit: commit, Date: date}
	if len(os.Args) > 1 && os.Args[1] == "serve" {
		os.Exit(runServe(log, build, os.Args[2:]))
	}
	// `stormdesk server` runs the team server; its subcommands (server init, ...) are cli commands.
	if len(os.Args) > 1 && os.Args[1] == "server" && !cli.IsServerSubcommand(os.Args[2:]) {
		os.Exit(runServerMain(build))
	}
	if len(os.Args) > 1 && cli.IsCommand(os.Args[1]) {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		code := cli.Run(ctx, cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Log: log, Build: build}, os.Args[1:])
		stop()
		os.Exit(code)
	}
	fs := flag.NewFlagSet("stormdesk", flag.ContinueOnError)
	db := fs.String("db", workspace.DefaultDBPath(), "database file")
	noDemo := fs.Bool("no-demo", false, "do not add demo data to an empty database")
	if err := fs.Parse(os.Args[1:]); err != nil {
		os.Exit(cli.ExitUsage)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "stormdesk: unknown command %q (try 'stormdesk help')\n", fs.Arg(0))
		os.Exit(cli.ExitUsage)
	}
	explicitDB := false
	fs.Visit(func(f *flag.Flag) { explicitDB = explicitDB || f.Name == "db" })
	if err := runWindow(log, build, *db, !*noDemo, explicitDB); err != nil {
		log.Error("stormdesk stopped", "err", err)
		os.Exit(cli.ExitFailure)
	}
}

func runWindow(log *slog.Logger, build cli.BuildInfo, dbPath string, demo, explicitDB bool) error {
	app := NewApp(log, build, dbPath, demo && !windowInTeam(log, explicitDB))
	if runtime.GOOS != "linux" {
		// Linux desktops get notifications over D-Bus (backend/notify); elsewhere the window's runtime shows them.
		app.toast = wailsToast(app.context)
	}
	join, err := newWindowJoin(app, explicitDB)
	if err != nil {
		return err
	}
	return wails.Run(&options.App{
		Title:     "Stormdesk",
		Width:     1360,
		Height:    860,
		MinWidth:  960,
		MinHeight: 600,
		AssetServer: &assetserver.Options{
			Assets: assets,
		},
		BackgroundColour: &options.RGBA{R: 246, G: 247, B: 249, A: 255},
		OnStartup:        app.startup,
		OnDomReady:       windowEval(log),
		OnShutdown:       func(ctx context.Context) { join.shutdown(); app.shutdown(ctx) },
		// JoinService is the window's alone: the team server has no desktop to join.
		Bind: append(app.services(), join),
		Linux: &linux.Options{
			ProgramName:      "stormdesk",
			Icon:             icon,
			WebviewGpuPolicy: linux.WebviewGpuPolicyOnDemand,
		},
	})
}

// runServerMain runs `stormdesk server` until SIGTERM or SIGINT.
func runServerMain(build cli.BuildInfo) int {
	dist, err := fs.Sub(assets, "frontend/dist")
	if err != nil {
		fmt.Fprintf(os.Stderr, "stormdesk server: frontend assets: %v\n", err)
		return cli.ExitFailure
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return runServer(ctx, serverEnv{Getenv: os.Getenv, Stderr: os.Stderr, Stdout: os.Stdout, Build: build, Assets: dist}, os.Args[2:])
}

// runServe is `stormdesk serve`: the same App and frontend as the window, served
// over HTTP on loopback so a plain browser (the end-to-end tests) can drive it.
// Every request needs the per-run token printed with the address.
func runServe(log *slog.Logger, build cli.BuildInfo, args []string) int {
	fset := flag.NewFlagSet("stormdesk serve", flag.ContinueOnError)
	db := fset.String("db", workspace.DefaultDBPath(), "database file")
	addr := fset.String("addr", "127.0.0.1:0", "loopback address to listen on (port 0 picks a free one)")
	noDemo := fset.Bool("no-demo", false, "do not add demo data to an empty database")
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return cli.ExitOK
		}
		return cli.ExitUsage
	}
	if fset.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "stormdesk serve: unexpected argument %q\n", fset.Arg(0))
		return cli.ExitUsage
	}
	dist, err := fs.Sub(assets, "frontend/dist")
	if err != nil {
		log.Error("frontend assets", "err", err)
		return cli.ExitFailure
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ln, err := webbridge.Listen(ctx, *addr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "stormdesk serve: %v\n", err)
		return cli.ExitUsage
	}

	app := NewApp(log, build, *db, !*noDemo)
	bridge := webbridge.New(app.services(), dist, log)
	app.emit = bridge.Emit
	app.startup(ctx)
	defer app.shutdown(context.Background())

	srv := &http.Server{Handler: bridge, ReadHeaderTimeout: 10 * time.Second}
	// Open event streams never end by themselves; closing them lets Shutdown finish.
	srv.RegisterOnShutdown(bridge.Close)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	// The address carries this run's token: only whoever can read this output
	// (the user who started serve) can open the page or call the bridge.
	fmt.Fprintf(os.Stdout, "listening on %s\n", bridge.StartURL(ln.Addr().String()))

	select {
	case err := <-served:
		log.Error("serve", "err", err)
		return cli.ExitFailure
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Error("shutdown", "err", err)
		return cli.ExitFailure
	}
	return cli.ExitOK
}
