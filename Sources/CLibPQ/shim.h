#ifndef BURSAR_CLIBPQ_SHIM_H
#define BURSAR_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
