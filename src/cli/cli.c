/* cli.c - command table, global options, and helpers every command shares. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sitmap/coord.h"

typedef struct command {
    const char *name;
    int (*fn)(int, char **, sm_cli *);
    const char *summary;
} command;

static const command commands[] = {
    {"resolve", cmd_resolve, "resolve place names, coordinates or relative positions"},
    {"dist", cmd_dist, "geodesic distance and bearing between places"},
    {"near", cmd_near, "gazetteer places within a radius of a place"},
    {"render", cmd_render, "draw a briefing file as a PNG, PDF or SVG map"},
    {"export", cmd_export, "write a briefing's features as GeoJSON, GeoPackage, KML..."},
    {"extract", cmd_extract, "find the places a report mentions"},
    {"check", cmd_check, "check a report's distance and direction claims"},
};

static const char main_usage[] =
    "usage: sitmap [--gazetteer DIR] COMMAND [ARGS...]\n"
    "\n"
    "Resolve places named in reports and measure between them on WGS 84.\n"
    "\n"
    "commands:\n"
    "%s"
    "  help [COMMAND]  show this text or a command's usage\n"
    "  version         show the version\n"
    "\n"
    "A place is a gazetteer name in any common spelling (\"Sabaa Biyar\",\n"
    "\"Saba' Biyar\", \"السبع بيار\"), coordinates (\"33.51,36.28\",\n"
    "\"33°30'50\\\"N 36°16'35\\\"E\") or a relative position (\"50 km SE of Damascus\").\n"
    "Put -- before a place that starts with a minus sign.\n"
    "\n"
    "options:\n"
    "  --gazetteer DIR  gazetteer folder (default: $SITMAP_GAZETTEER, else\n"
    "                   " SITMAP_GAZETTEER_DIR ")\n"
    "\n"
    "exit codes: 0 ok, 1 nothing found, 2 usage, 3 bad input data,\n"
    "            4 I/O or system error\n";

static void print_main_usage(FILE *fp)
{
    char list[1024] = "";
    size_t n = 0;
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        n += (size_t)snprintf(list + n, sizeof list - n, "  %-14s  %s\n",
                              commands[i].name, commands[i].summary);
    fprintf(fp, main_usage, list);
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    fputs("sitmap: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_usage_error(const sm_cli *cli, const char *fmt, ...)
{
    va_list ap;
    fputs("sitmap: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (cli && cli->cmd)
        fprintf(stderr, "\ntry 'sitmap %s --help'\n", cli->cmd);
    else
        fputs("\ntry 'sitmap help'\n", stderr);
    return SM_EXIT_USAGE;
}

int cli_exit_for(sm_status st)
{
    switch (st) {
    case SM_OK: return SM_EXIT_OK;
    case SM_ERR_NOT_FOUND: return SM_EXIT_NOT_FOUND;
    case SM_ERR_USAGE: return SM_EXIT_USAGE;
    case SM_ERR_PARSE:
    case SM_ERR_RANGE:
    case SM_ERR_ENCODING:
    case SM_ERR_LIMIT: return SM_EXIT_DATA;
    case SM_ERR_IO:
    case SM_ERR_NOMEM:
    case SM_ERR_INTERNAL: return SM_EXIT_IO;
    }
    return SM_EXIT_IO;
}

int cli_worse(int a, int b)
{
    /* 4 > 3 > 2 > 1 > 0: the most serious failure decides the exit. */
    return a > b ? a : b;
}

int cli_finish_stdout(int code)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("cannot write output: %s", strerror(errno));
        return SM_EXIT_IO;
    }
    return code;
}

bool cli_parse_distance(const char *s, double *metres)
{
    static const struct { const char *u; double m; } units[] = {
        {"km", 1000}, {"kilometres", 1000}, {"kilometers", 1000}, {"nmi", 1852},
        {"nm", 1852}, {"mi", 1609.344}, {"miles", 1609.344}, {"m", 1},
        {"metres", 1}, {"meters", 1}, {"", 1000}};
    double v;
    size_t len = strlen(s);
    size_t n = sm_parse_decimal(s, len, &v);
    if (n == 0 || !(v >= 0))
        return false;
    const char *u = s + n;
    while (*u == ' ')
        u++;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcasecmp(u, units[i].u) == 0) {
            *metres = v * units[i].m;
            return true;
        }
    return false;
}

sm_gazetteer *cli_gazetteer(sm_cli *cli, int *code)
{
    if (cli->gz)
        return cli->gz;
    sm_error err;
    sm_error_init(&err);
    sm_gazetteer *gz = sm_gazetteer_new();
    if (!gz) {
        cli_error("out of memory");
        *code = SM_EXIT_IO;
        return NULL;
    }
    sm_status st = sm_gazetteer_load_dir(gz, cli->gazetteer_dir, &err);
    if (st != SM_OK) {
        cli_error("%s", err.message);
        sm_gazetteer_free(gz);
        *code = cli_exit_for(st);
        return NULL;
    }
    cli->gz = gz;
    return gz;
}

int cli_help(const char *cmd)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, cmd) == 0) {
            char *argv[] = {(char *)cmd, (char *)"--help", NULL};
            sm_cli cli = {NULL, NULL, cmd};
            return commands[i].fn(2, argv, &cli);
        }
    cli_error("unknown command '%s'", cmd);
    fputs("try 'sitmap help'\n", stderr);
    return SM_EXIT_USAGE;
}

int sm_cli_main(int argc, char **argv)
{
    sm_cli cli = {NULL, NULL, NULL};
    const char *env = getenv("SITMAP_GAZETTEER");
    cli.gazetteer_dir = env && *env ? env : SITMAP_GAZETTEER_DIR;
    int i = 1;
    while (i < argc && argv[i][0] == '-' && argv[i][1] == '-' && argv[i][2]) {
        if (strcmp(argv[i], "--gazetteer") == 0 && i + 1 < argc) {
            cli.gazetteer_dir = argv[i + 1];
            i += 2;
        } else if (strncmp(argv[i], "--gazetteer=", 12) == 0) {
            cli.gazetteer_dir = argv[i] + 12;
            i++;
        } else if (strcmp(argv[i], "--help") == 0) {
            print_main_usage(stdout);
            return cli_finish_stdout(SM_EXIT_OK);
        } else if (strcmp(argv[i], "--version") == 0) {
            printf("sitmap %s\n", SITMAP_VERSION);
            return cli_finish_stdout(SM_EXIT_OK);
        } else {
            return cli_usage_error(NULL, "unknown option '%s'", argv[i]);
        }
    }
    if (i >= argc) {
        print_main_usage(stderr);
        return SM_EXIT_USAGE;
    }
    const char *name = argv[i];
    int rc;
    if (strcmp(name, "help") == 0) {
        if (i + 1 < argc)
            return cli_finish_stdout(cli_help(argv[i + 1]));
        print_main_usage(stdout);
        return cli_finish_stdout(SM_EXIT_OK);
    }
    if (strcmp(name, "version") == 0) {
        printf("sitmap %s\n", SITMAP_VERSION);
        return cli_finish_stdout(SM_EXIT_OK);
    }
    for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++)
        if (strcmp(commands[k].name, name) == 0) {
            cli.cmd = name;
            rc = commands[k].fn(argc - i, argv + i, &cli);
            sm_gazetteer_free(cli.gz);
            return cli_finish_stdout(rc);
        }
    cli_error("unknown command '%s'", name);
    fputs("try 'sitmap help'\n", stderr);
    return SM_EXIT_USAGE;
}
