export { createSshPool, type SshPool, type SshPoolOptions, type RemoteExecOptions, type RemoteExecResult } from "./pool";
export { openConnection, fetchHostKey, judgeHostKey, type HostKeyVerdict } from "./connect";
export { HostKeyUnconfirmedError, hostKeyMismatch } from "./errors";
export { fingerprintKeyBlob, fingerprintPublicKey, FingerprintSchema } from "./fingerprint";
export { generateKeyPair, type GeneratedKeyPair } from "./keygen";
export { writeRemoteFile } from "./sftp";
export { waitForSsh } from "./wait";
export { SshTargetSchema, targetLabel, type SshTarget } from "./target";
export * from "./quote";
