// The dashboards, in tab order. Each lives in its own module under this folder.

import type { Dashboard } from "../dashboard";
import { audioDashboard } from "./audio";
import { distributionsDashboard } from "./distributions";
import { graphDashboard } from "./graph";
import { histogramsDashboard } from "./histograms";
import { hparamsDashboard } from "./hparams";
import { imagesDashboard } from "./images";
import { modelInsightDashboard } from "./modelinsight";
import { prCurvesDashboard } from "./prcurves";
import { projectorDashboard } from "./projector";
import { scalarsDashboard } from "./scalars";
import { textDashboard } from "./text";

export const dashboards: Dashboard[] = [
  scalarsDashboard,
  graphDashboard,
  histogramsDashboard,
  distributionsDashboard,
  imagesDashboard,
  audioDashboard,
  textDashboard,
  prCurvesDashboard,
  hparamsDashboard,
  projectorDashboard,
  modelInsightDashboard,
];
