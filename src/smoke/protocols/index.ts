import type { SmokeConfig } from '../../config/types.js';
import { userError } from '../../errors.js';
import { bentoml } from './bentoml.js';
import { plainHttp } from './http.js';
import { kserveV1 } from './kserve-v1.js';
import { openInferenceV2 } from './open-inference-v2.js';
import type { Protocol } from './protocol.js';
import { tfServing } from './tf-serving.js';
import { torchServe } from './torchserve.js';

export type { Protocol } from './protocol.js';

/** The protocol module smoke.protocol names, for the model called `model` in its URLs. */
export function protocolFor(smoke: SmokeConfig, model: string): Protocol {
  switch (smoke.protocol) {
    case 'kserve-v1':
      return kserveV1(model);
    case 'open-inference-v2':
      return openInferenceV2(model);
    case 'tf-serving':
      return tfServing(model);
    case 'torchserve':
      return torchServe(model);
    case 'bentoml':
      return bentoml(smoke.http?.path ?? '/predict', smoke.http?.readyPath ?? '/readyz');
    case 'http':
      if (!smoke.http)
        throw userError(
          'smoke.protocol is http but smoke.http is not set.',
          'Add smoke.http with the path (and method, readyPath) of the prediction endpoint.',
        );
      return plainHttp(smoke.http);
  }
}
