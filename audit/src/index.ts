/** Public API of secret-audit, for tests and programs that audit images and containers. */
export { auditContainer, auditImage } from './audit.ts';
export type { AuditOptions } from './audit.ts';
export { scanImageArchive } from './archive.ts';
export type { ArchiveScan } from './archive.ts';
export { EngineClient, CLIENT_API_VERSION, DEFAULT_DOCKER_HOST, parseDockerHost } from './engine.ts';
export type { ContainerInspect, EngineOptions, ImageInspect, MountPoint } from './engine.ts';
export * from './errors.ts';
export { formatHuman, formatJson } from './format.ts';
export { scanFilesystemTar } from './layer.ts';
export type { FsScan } from './layer.ts';
export { EXIT_CLEAN, EXIT_ERROR, EXIT_LEAK, exitCodeFor } from './report.ts';
export type { AuditReport, Finding, Hidden, Location, Note } from './report.ts';
export { Scanner, compileDetection, redactText, scanText } from './scanner.ts';
export type { DetectOptions, Detection, Match } from './scanner.ts';
export { givenSecret, secretFromEnv, secretFromFile, secretPatterns } from './secrets.ts';
export type { GivenSecret, SecretForm } from './secrets.ts';
export { readTar } from './tar.ts';
export type { TarEntry } from './tar.ts';
