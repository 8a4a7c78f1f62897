import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { hedgehogFabricReadPermission } from '@fabric-gitops/plugin-hedgehog-common';
import express from 'express';
import { RouteAudit } from './audit';
import { FabricAuthorizer, FabricDecisions } from './FabricAuthorizer';
import { HedgehogService } from './HedgehogService';
import { TooManyRequestsError } from './requestInput';
import { ValidationBusyError } from './ValidationPool';

export interface ValidateRouteOptions {
  service: HedgehogService;
  httpAuth: HttpAuthService;
  authorizer: FabricAuthorizer;
  audit: RouteAudit;
}

/** 429 for a validation the pool cannot take now. */
function tooBusy(e: ValidationBusyError, res: express.Response): never {
  res.set('Retry-After', String(e.retryAfterSeconds));
  throw new TooManyRequestsError(e.message);
}

/**
 * `POST /validate`: files validated before they are committed, in the validation
 * pool's worker threads (see HedgehogService.validateRequest). It takes larger
 * bodies than the other routes and reads its body itself, after authorization.
 */
export function addValidateRoute(
  router: express.Router,
  options: ValidateRouteOptions,
) {
  const { service, httpAuth, authorizer, audit } = options;

  // Without a fabric, validation reads nothing of any fabric: read granted on some
  // fabrics (or conditionally) is enough. With one, read on that fabric is needed.
  router.post(
    '/validate',
    audit('validate', 'low'),
    async (req: express.Request, res: express.Response) => {
      const credentials = await httpAuth.credentials(req);
      res.locals.decisions = await authorizer.decide(credentials, [
        hedgehogFabricReadPermission,
      ]);
      return 'next';
    },
    async (req: express.Request, res: express.Response) => {
      if (req.headers['content-type'] && !req.is('application/json')) {
        throw new InputError(
          `the request body must be JSON (Content-Type: application/json) of the form {"files": [{"path", "content"}]}, not ${req.headers['content-type']}`,
        );
      }
      // refused before its body is read when the pool is full (it may be refused after, too)
      if (service.validation.full) tooBusy(service.validation.busy(), res);
      return 'next';
    },
    // The bytes only: JSON parsing, the body's checks, YAML parsing and validation run in
    // a worker thread (JSON escaping makes the body larger than the 5 MB of files it may carry).
    express.raw({ type: () => true, limit: '16mb' }),
    async (req, res) => {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      // a client that went away stops its validation
      const gone = new AbortController();
      res.on('close', () => {
        if (!res.writableFinished) gone.abort();
      });
      try {
        // with a fabric, read on that fabric is needed (checked when the worker asks for its context)
        const allow = (fabric: string) =>
          (res.locals.decisions as FabricDecisions).require(fabric);
        const answer = await service.validateRequest(body, gone.signal, allow);
        // as it is (res.send would hash the whole answer for an ETag, on this thread)
        res.status(200).type('application/json').end(answer);
      } catch (e) {
        if (!(e instanceof ValidationBusyError)) throw e;
        tooBusy(e, res);
      }
    },
  );
}
