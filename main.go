package main

import (
	"context"
	"embed"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"

	"github.com/stormdesk/stormdesk/backend/cli"
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
	if len(os.Args) > 1 && cli.IsCommand(os.Args[1]) {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		code := cli.Run(ctx, cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Log: log, Build: build}, os.Args[1:])
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
	if err := runWindow(log, build, *db, !*noDemo); err != nil {
		log.Error("stormdesk stopped", "err", err)
		os.Exit(cli.ExitFailure)
	}
}

func runWindow(log *slog.Logger, build cli.BuildInfo, dbPath string, demo bool) error {
	app := NewApp(log, build, dbPath, demo)
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
		OnShutdown:       app.shutdown,
		Bind:             app.services(),
		Linux: &linux.Options{
			ProgramName:      "stormdesk",
			Icon:             icon,
			WebviewGpuPolicy: linux.WebviewGpuPolicyOnDemand,
		},
	})
}
