// The public face of @civic/messaging: everything other packages may import, nothing else.

// Errors
export {
  DecodeError,
  DeliverError,
  EncodeError,
  InvalidNameError,
  MessagingArgumentError,
  MessagingError,
  NameKind,
  NatsConnectError,
  NoRespondersError,
  NoStreamError,
  PayloadTooLargeError,
  PublishRefusedError,
  RemoteHandlerError,
  RequestTimeoutError,
  StreamConfigConflictError,
  StreamContentError,
  TailStalledError,
  TransportError,
  WrongLastSequenceError,
} from './errors.js';

// Names, subjects, queue groups, stream names
export { NamePattern, assertName, isValidName } from './names.js';
export {
  QueueGroup,
  SUBJECT_ROOT,
  streamNames,
  subjects,
  type ChannelStreamNames,
  type ChannelSubjects,
} from './subjects.js';

// Connection
export { closeNats, connectNats, type ConnectNatsOptions } from './connection.js';

// Encoding, size bound, trace context
export { JsonEncoding, decodeJson, encodeJson } from './codec.js';
export {
  DEFAULT_MAX_PAYLOAD_BYTES,
  assertPayloadFits,
  headersBytes,
  maxPayloadBytes,
} from './payload-limit.js';
export { extractTraceContext, injectTraceContext, traceHeaders, withTraceContext } from './trace.js';
export type { OutgoingOptions } from './outgoing.js';

// Core NATS: publish, request/reply, subscribe
export { publishJson } from './publish.js';
export { ErrorHeader } from './remote-error.js';
export { requestJson, requestMsg, type RequestJsonOptions } from './request.js';
export { subscribeJson, type IncomingMessage, type SubscribeOptions, type Subscriber } from './subscribe.js';
export { NO_REPLY, ResponderErrorCode, serveJson, type ServeOptions } from './serve.js';

// The `.deliver` repair path: its wire shapes, and the requesting side
export * from './deliver-protocol.js';
export {
  deliverBlocks,
  deliverOnce,
  type DeliveredBlock,
  type DeliverOnceOptions,
  type DeliverOptions,
} from './deliver.js';

// JetStream: streams, exactly-once publishing, consuming
export {
  STREAM_DEFAULTS,
  channelStreamConfigs,
  type ChannelStreamConfigs,
  type ChannelStreamOptions,
  type ManagedStreamConfig,
  type StreamLimits,
} from './stream-config.js';
export {
  deleteStreams,
  ensureStream,
  ensureStreams,
  streamConfigChanges,
  streamLastSequence,
  type ChannelStreamsInfo,
} from './streams.js';
export {
  publishBytesToStream,
  publishToStream,
  type StreamPubAck,
  type StreamPublishOptions,
} from './stream-publish.js';
export type { StreamMessage } from './stream-message.js';
export {
  blockMsgId,
  blockSequence,
  lastBlockNumber,
  publishBlock,
  publishBlockBytes,
  publishMissingBlocks,
  readBlock,
  type PublishBlockOptions,
} from './blocks.js';
export { commitMsgId, lastCommitReceipt, publishCommit, type PublishCommitOptions } from './commits.js';
export { publishEvent, type LedgerEvent, type PublishEventOptions } from './events.js';
export { consumeInOrder, type ConsumeInOrderOptions, type InOrderConsumer } from './consume-in-order.js';
export { tailStream, type StreamTail, type TailOptions } from './tail.js';

// NestJS
export { JETSTREAM, JETSTREAM_MANAGER, MESSAGING_OPTIONS, NATS_CONNECTION } from './nest/tokens.js';
export {
  MessagingModule,
  type MessagingModuleAsyncOptions,
  type MessagingModuleOptions,
} from './nest/messaging.module.js';
