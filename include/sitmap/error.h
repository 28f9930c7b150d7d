/*
 * error.h - result codes and the caller-owned error record of libsitmap.
 *
 * The library never prints and never exits: every function that can fail
 * returns an sm_status and, when given a non-NULL sm_error, fills it with a
 * message fit to show a user ("unknown place 'Sabaa Biyr'") and, for parsers,
 * the file, line and column where the problem is.
 *
 *     sm_error err;
 *     sm_error_init(&err);
 *     if (sm_gazetteer_load(gz, "gazetteer", &err) != SM_OK)
 *         fprintf(stderr, "sitmap: %s\n", err.message);
 */
#ifndef SITMAP_ERROR_H
#define SITMAP_ERROR_H

#include <stddef.h>

/* Append-only: values are part of the ABI and of the CLI's exit codes map. */
typedef enum sm_status {
    SM_OK = 0,          /* success */
    SM_ERR_NOT_FOUND,   /* a name or place that nothing matched */
    SM_ERR_USAGE,       /* the caller passed something malformed (empty name) */
    SM_ERR_PARSE,       /* input data is malformed: file, line, column set */
    SM_ERR_RANGE,       /* a value out of its domain (latitude 95, radius -3) */
    SM_ERR_IO,          /* reading or writing a file failed; errno in message */
    SM_ERR_NOMEM,       /* an allocation failed */
    SM_ERR_ENCODING,    /* text that is not valid UTF-8 */
    SM_ERR_LIMIT,       /* an input over a documented size limit */
    SM_ERR_INTERNAL     /* a foreign library failed in a way we did not expect */
} sm_status;

#define SM_ERROR_MESSAGE_MAX 512

/* Caller-owned; sm_error_init before first use. No heap, nothing to release. */
typedef struct sm_error {
    sm_status code;                    /* same value the function returned */
    char message[SM_ERROR_MESSAGE_MAX]; /* one line, no trailing newline */
    char file[256];                    /* source file of a parse error, or "" */
    long line;                         /* 1-based line, 0 when not applicable */
    long column;                       /* 1-based column in characters, or 0 */
} sm_error;

void sm_error_init(sm_error *err);

/* Fill err (if non-NULL) and return code. printf-style message. */
sm_status sm_error_set(sm_error *err, sm_status code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* As sm_error_set, and record where: the message is prefixed "file:line:col: ". */
sm_status sm_error_set_at(sm_error *err, sm_status code, const char *file,
                          long line, long column, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/* A static English description of a code ("not found"). Never NULL. */
const char *sm_strerror(sm_status code);

#endif
