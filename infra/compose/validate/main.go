// Command validate-compose loads a Compose file the way `docker compose config` does, with the compose-go
// library Docker Compose itself is built on: the Compose specification's JSON schema, interpolation of
// ${VARIABLES} (required ones fail when unset), extension fields and anchors, and the model's own checks
// (unknown services in depends_on, bad durations, port ranges). It prints the resolved project as JSON, or
// what is wrong and exits 1. CI runs it through infra/compose/validate.sh; no Docker engine is needed.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	envFile := flag.String("env-file", "", "a .env file to interpolate from (like docker compose --env-file)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: validate-compose [--env-file FILE] COMPOSE_FILE")
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	options := []cli.ProjectOptionsFn{cli.WithOsEnv, cli.WithName("next-portal"), cli.WithResolvedPaths(true)}
	if *envFile != "" {
		options = append(options, cli.WithEnvFiles(*envFile), cli.WithDotEnv)
	}
	projectOptions, err := cli.NewProjectOptions([]string{flag.Arg(0)}, options...)
	if err != nil {
		fail(err)
	}
	project, err := projectOptions.LoadProject(context.Background())
	if err != nil {
		fail(err)
	}
	resolved, err := project.MarshalJSON()
	if err != nil {
		fail(err)
	}
	os.Stdout.Write(append(resolved, '\n'))
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "validate-compose: %v\n", err)
	os.Exit(1)
}
