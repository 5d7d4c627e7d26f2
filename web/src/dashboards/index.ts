// The dashboards, in tab order. Each lives in its own module under this folder.

import type { Dashboard } from "../dashboard";

export const dashboards: Dashboard[] = [];
