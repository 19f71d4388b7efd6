/** OTLP/HTTP's binary encoding; apart from the codec so that JSON-only paths need not load the generated code. */
export const PROTOBUF = 'application/x-protobuf';
