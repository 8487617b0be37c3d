/** The one error base: an HTTP status and a stable snake_case code; translated once at the edge. */
export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  /** Field errors in Django REST framework's shape: {"field": ["message"]}. */
  readonly fields: Record<string, string[]> | undefined;
  constructor(status: number, code: string, message: string, fields?: Record<string, string[]>) {
    super(message);
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

/** 400 with per-field messages. */
export class ValidationError extends AppError {
  constructor(fields: Record<string, string[]>, message = 'Invalid input.') {
    super(400, 'validation_error', message, fields);
  }
}

/** 404 for an unknown id or slug. */
export class NotFoundError extends AppError {
  constructor(message = 'Not found.') {
    super(404, 'not_found', message);
  }
}

/** 401: no credentials, or bad ones. */
export class NotAuthenticatedError extends AppError {
  constructor(message = 'Authentication credentials were not provided.') {
    super(401, 'not_authenticated', message);
  }
}

/** 403: signed in, but not allowed. */
export class PermissionDeniedError extends AppError {
  constructor(message = 'You do not have permission to perform this action.') {
    super(403, 'permission_denied', message);
  }
}

/** 409: the change collides with existing data (a taken slug, say). */
export class ConflictError extends AppError {
  constructor(message: string, fields?: Record<string, string[]>) {
    super(409, 'conflict', message, fields);
  }
}

/** A setting that makes no sense; the process stops with this message. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
