/* main.c - the sitmap executable: all of it lives in the sitmap_cli library. */
#include "cli.h"

int main(int argc, char **argv)
{
    return sm_cli_main(argc, argv);
}
