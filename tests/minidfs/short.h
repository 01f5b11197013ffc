/*
 * Short names for the longest generated protobuf-c constants, so that
 * the code fits in 80 columns.
 */
#ifndef MINIDFS_SHORT_H
#define MINIDFS_SHORT_H

#define ST_SUCCESS \
	HD__RPC_RESPONSE_HEADER_PROTO__RPC_STATUS_PROTO__SUCCESS
#define ST_ERROR \
	HD__RPC_RESPONSE_HEADER_PROTO__RPC_STATUS_PROTO__ERROR
#define ST_FATAL \
	HD__RPC_RESPONSE_HEADER_PROTO__RPC_STATUS_PROTO__FATAL
#define E_APP \
	HD__RPC_RESPONSE_HEADER_PROTO__RPC_ERROR_CODE_PROTO__ERROR_APPLICATION
/*
 * ERROR_NO_SUCH_METHOD, ERROR_NO_SUCH_PROTOCOL, ERROR_RPC_VERSION_MISMATCH,
 * FATAL_INVALID_RPC_HEADER, FATAL_DESERIALIZING_REQUEST, FATAL_UNAUTHORIZED
 */
#define E_NOMETHOD	((Hd__RpcResponseHeaderProto__RpcErrorCodeProto)2)
#define E_NOPROTOCOL	((Hd__RpcResponseHeaderProto__RpcErrorCodeProto)3)
#define E_VERSION	((Hd__RpcResponseHeaderProto__RpcErrorCodeProto)6)
#define F_HEADER	((Hd__RpcResponseHeaderProto__RpcErrorCodeProto)12)
#define F_DECODE	((Hd__RpcResponseHeaderProto__RpcErrorCodeProto)13)
#define F_UNAUTH	((Hd__RpcResponseHeaderProto__RpcErrorCodeProto)15)
#define OP_FINAL \
	HD__RPC_REQUEST_HEADER_PROTO__OPERATION_PROTO__RPC_FINAL_PACKET
/* PIPELINE_SETUP_CREATE */
#define STAGE_CREATE	((Hd__OpWriteBlockProto__BlockConstructionStage)6)

#endif
