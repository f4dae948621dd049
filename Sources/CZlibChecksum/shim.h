#ifndef DOCPIPE_CZLIBCHECKSUM_SHIM_H
#define DOCPIPE_CZLIBCHECKSUM_SHIM_H
// zlib through pkg-config (Debian: zlib1g-dev, which ZIPFoundation needs too). The journal uses its CRC-32.
#include <zlib.h>
#endif
