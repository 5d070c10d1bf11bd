export { createSshPool, type SshPool } from "./pool";
export * from "./quote";
