/*
 * The control socket's line protocol, spoken by barged (the server) and
 * barge status (the client): the client sends this hello line, then one
 * request ("status", "status json" or "metrics"); barged answers and
 * closes.  Bump the number when a request or an answer changes shape.
 */
#ifndef CORE_CONTROL_PROTO_H
#define CORE_CONTROL_PROTO_H

#define CONTROL_HELLO	"barge-control 1"

#endif
