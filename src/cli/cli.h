/*
 * cli.h - the sitmap command-line tool: dispatch, shared state, exit codes.
 *
 * To add a command:
 *   1. write cmd_<name>.c defining int cmd_<name>(int argc, char **argv, sm_cli *cli)
 *      with a usage text, options as data (getopt_long), parse, work, return
 *      an SM_EXIT_* code;
 *   2. declare it below;
 *   3. add it to the command table in cli.c (name, function, one-line summary);
 *   4. add its cases to tests/cli/cases.txt and its example to README.md.
 *
 * Results go to stdout only; every message goes to stderr as
 * "sitmap: <what is wrong>", lowercase, no full stop.
 */
#ifndef SITMAP_CLI_H
#define SITMAP_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "sitmap/error.h"
#include "sitmap/gazetteer.h"

/* Exit codes, documented in README.md and `sitmap help`. */
enum {
    SM_EXIT_OK = 0,        /* success */
    SM_EXIT_NOT_FOUND = 1, /* an unknown place, nothing found */
    SM_EXIT_USAGE = 2,     /* bad command line */
    SM_EXIT_DATA = 3,      /* bad input data: malformed file, coordinates, UTF-8 */
    SM_EXIT_IO = 4         /* I/O or system error */
};

typedef struct sm_cli {
    const char *gazetteer_dir; /* --gazetteer, $SITMAP_GAZETTEER, or built-in */
    sm_gazetteer *gz;          /* loaded on first use */
    const char *cmd;           /* the running command's name, for messages */
} sm_cli;

int sm_cli_main(int argc, char **argv);

int cmd_resolve(int argc, char **argv, sm_cli *cli);
int cmd_dist(int argc, char **argv, sm_cli *cli);
int cmd_near(int argc, char **argv, sm_cli *cli);
int cmd_render(int argc, char **argv, sm_cli *cli);
int cmd_export(int argc, char **argv, sm_cli *cli);
int cmd_extract(int argc, char **argv, sm_cli *cli);
int cmd_check(int argc, char **argv, sm_cli *cli);

/* The gazetteer, loaded once; on failure prints why and returns NULL with
 * *code set to the exit code. */
sm_gazetteer *cli_gazetteer(sm_cli *cli, int *code);

/* "sitmap: " + message + newline on stderr. */
void cli_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* Misuse: message, then "try 'sitmap CMD --help'"; returns SM_EXIT_USAGE. */
int cli_usage_error(const sm_cli *cli, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Exit code for a library status. */
int cli_exit_for(sm_status st);

/* The worse of two exit codes (data and I/O errors outrank "not found"). */
int cli_worse(int a, int b);

/* Flush stdout and report a failed write (a closed pipe, a full disk). */
int cli_finish_stdout(int code);

/* Parse "55km", "55 km", "30mi", "10 nmi", "500m" (bare numbers are km) to
 * metres. False on anything else or a negative value. */
bool cli_parse_distance(const char *s, double *metres);

/* "--precision N": a whole number from 1 to 15; 0 on success, -1 otherwise. */
int cli_parse_precision(const char *s, int *out);

/* Print the usage text of a command and return 0. */
int cli_help(const char *cmd);

#endif
