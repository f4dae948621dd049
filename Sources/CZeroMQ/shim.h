#ifndef DOCPIPE_CZEROMQ_SHIM_H
#define DOCPIPE_CZEROMQ_SHIM_H
// libzmq through pkg-config (Debian: libzmq3-dev). Only the ZeroMQ target imports this.
#include <zmq.h>
#endif
