/**
 * Typed errors with stable codes. Anything that stops an audit from completing is an
 * AuditError; the CLI maps every AuditError to exit code 2 and prints `message` on one line.
 * Messages never include secret material.
 */

export type AuditErrorCode =
  | 'ERR_ENGINE_UNREACHABLE'
  | 'ERR_ENGINE_API'
  | 'ERR_DOCKER_HOST_UNSUPPORTED'
  | 'ERR_NO_SUCH_IMAGE'
  | 'ERR_NO_SUCH_CONTAINER'
  | 'ERR_TAR_INVALID'
  | 'ERR_ARCHIVE_INVALID'
  | 'ERR_SECRET_SOURCE'
  | 'ERR_USAGE';

export class AuditError extends Error {
  readonly code: AuditErrorCode;

  constructor(code: AuditErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** The engine could not be reached at all (socket missing, refused, permission denied). */
export class EngineUnreachable extends AuditError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_ENGINE_UNREACHABLE', message, options);
  }
}

/** The engine answered with an unexpected status or body. */
export class EngineApiError extends AuditError {
  readonly status: number;
  constructor(status: number, message: string) {
    super('ERR_ENGINE_API', message);
    this.status = status;
  }
}

export class DockerHostUnsupported extends AuditError {
  constructor(message: string) {
    super('ERR_DOCKER_HOST_UNSUPPORTED', message);
  }
}

export class NoSuchImage extends AuditError {
  constructor(ref: string) {
    super('ERR_NO_SUCH_IMAGE', `no such image: ${ref}`);
  }
}

export class NoSuchContainer extends AuditError {
  constructor(ref: string) {
    super('ERR_NO_SUCH_CONTAINER', `no such container: ${ref}`);
  }
}

/** A tar stream is malformed (bad checksum, truncated entry, oversized metadata). */
export class TarInvalid extends AuditError {
  constructor(message: string) {
    super('ERR_TAR_INVALID', `invalid tar stream: ${message}`);
  }
}

/** A `docker save` archive is neither the legacy nor the OCI layout, or is inconsistent. */
export class ArchiveInvalid extends AuditError {
  constructor(message: string) {
    super('ERR_ARCHIVE_INVALID', `invalid image archive: ${message}`);
  }
}

/** `--secret-file` / `--secret-env` could not provide a usable secret. */
export class SecretSourceError extends AuditError {
  constructor(message: string) {
    super('ERR_SECRET_SOURCE', message);
  }
}

export class UsageError extends AuditError {
  constructor(message: string) {
    super('ERR_USAGE', message);
  }
}
