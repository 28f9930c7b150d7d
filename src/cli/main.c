/* main.c - the sitmap executable: all of it lives in the sitmap_cli library. */
#include <stdio.h>
#include <unistd.h>

#include "cli.h"

int main(int argc, char **argv)
{
    int code = sm_cli_main(argc, argv);
    /* Output that cannot be written (a full disk, a closed pipe) is an
     * error, not a silent loss. */
    if (fflush(NULL) != 0 && code == SM_EXIT_OK)
        code = SM_EXIT_IO;
#ifndef SITMAP_SANITIZE
    /* Everything is written, flushed and renamed into place: leave without
     * unwinding GDAL, PROJ, fontconfig and a hundred libraries' state, which
     * costs a render a few milliseconds for nothing. (Sanitizer builds keep
     * the normal exit, where LeakSanitizer checks.) */
    _exit(code);
#endif
    return code;
}
