/* test_util.h - what the cmocka of Debian 12 (1.1.5) lacks: float compares
 * with an explicit tolerance that say which values differed. */
#ifndef SITMAP_TEST_UTIL_H
#define SITMAP_TEST_UTIL_H

#include <math.h>

#define assert_near(got, want, tol)                                            \
    do {                                                                       \
        double g_ = (got), w_ = (want), t_ = (tol);                            \
        if (!(fabs(g_ - w_) <= t_))                                            \
            fail_msg("%s = %.15g, want %.15g +- %g", #got, g_, w_, t_);        \
    } while (0)

#endif
