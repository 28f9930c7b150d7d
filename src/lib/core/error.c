/* error.c - filling the caller-owned sm_error record. */
#include "sitmap/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void sm_error_init(sm_error *err)
{
    if (!err)
        return;
    memset(err, 0, sizeof *err);
}

static sm_status vset(sm_error *err, sm_status code, const char *prefix,
                      const char *fmt, va_list ap)
{
    if (!err)
        return code;
    err->code = code;
    size_t n = 0;
    if (prefix) {
        n = strlen(prefix);
        if (n >= sizeof err->message)
            n = sizeof err->message - 1;
        memcpy(err->message, prefix, n);
        err->message[n] = '\0';
    }
    vsnprintf(err->message + n, sizeof err->message - n, fmt, ap);
    return code;
}

sm_status sm_error_set(sm_error *err, sm_status code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (err) {
        err->file[0] = '\0';
        err->line = err->column = 0;
    }
    vset(err, code, NULL, fmt, ap);
    va_end(ap);
    return code;
}

sm_status sm_error_set_at(sm_error *err, sm_status code, const char *file,
                          long line, long column, const char *fmt, ...)
{
    char prefix[320];
    va_list ap;
    if (!err)
        return code;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    err->column = column;
    if (column > 0)
        snprintf(prefix, sizeof prefix, "%s:%ld:%ld: ", err->file, line, column);
    else
        snprintf(prefix, sizeof prefix, "%s:%ld: ", err->file, line);
    va_start(ap, fmt);
    vset(err, code, prefix, fmt, ap);
    va_end(ap);
    return code;
}

const char *sm_strerror(sm_status code)
{
    switch (code) {
    case SM_OK: return "success";
    case SM_ERR_NOT_FOUND: return "not found";
    case SM_ERR_USAGE: return "invalid argument";
    case SM_ERR_PARSE: return "malformed input";
    case SM_ERR_RANGE: return "value out of range";
    case SM_ERR_IO: return "input/output error";
    case SM_ERR_NOMEM: return "out of memory";
    case SM_ERR_ENCODING: return "invalid UTF-8";
    case SM_ERR_LIMIT: return "input too large";
    case SM_ERR_INTERNAL: return "internal error";
    }
    return "unknown error";
}
