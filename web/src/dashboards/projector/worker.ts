// Background projections for the embedding projector: t-SNE (exact gradient, with
// perplexity-calibrated affinities) and UMAP (umap-js). Posts the coordinates as it goes.

import { UMAP } from "umap-js";

export interface ProjectRequest {
  method: "tsne" | "umap";
  dims: 2 | 3;
  /** Row-major `n x d` points (already reduced by PCA when d is large). */
  data: Float32Array;
  n: number;
  d: number;
  perplexity: number;
  iterations: number;
  seed: number;
}

export interface ProjectProgress {
  done: number;
  total: number;
  coords: Float32Array;
  finished: boolean;
}

/** A small seeded generator, so a projection can be reproduced. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

function squaredDistances(data: Float32Array, n: number, d: number): Float32Array {
  const out = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let sum = 0;
      for (let k = 0; k < d; k++) {
        const diff = data[i * d + k] - data[j * d + k];
        sum += diff * diff;
      }
      out[i * n + j] = out[j * n + i] = sum;
    }
  }
  return out;
}

/** Joint affinities P: per point, a Gaussian whose width gives the wanted perplexity
 * (found by bisection), then symmetrised and normalised. */
function affinities(distances: Float32Array, n: number, perplexity: number): Float64Array {
  const target = Math.log(perplexity);
  const p = new Float64Array(n * n);
  const row = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let beta = 1;
    let lo = 0;
    let hi = Infinity;
    for (let attempt = 0; attempt < 60; attempt++) {
      let sum = 0;
      let weighted = 0;
      for (let j = 0; j < n; j++) {
        const value = j === i ? 0 : Math.exp(-beta * distances[i * n + j]);
        row[j] = value;
        sum += value;
        weighted += value * distances[i * n + j];
      }
      sum = sum || 1e-12;
      const entropy = Math.log(sum) + (beta * weighted) / sum;
      if (Math.abs(entropy - target) < 1e-5) break;
      if (entropy > target) {
        lo = beta;
        beta = hi === Infinity ? beta * 2 : (beta + hi) / 2;
      } else {
        hi = beta;
        beta = (beta + lo) / 2;
      }
    }
    let sum = 0;
    for (let j = 0; j < n; j++) sum += row[j];
    for (let j = 0; j < n; j++) p[i * n + j] = row[j] / (sum || 1);
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const value = Math.max((p[i * n + j] + p[j * n + i]) / (2 * n), 1e-12);
      p[i * n + j] = p[j * n + i] = value;
    }
  }
  return p;
}

function* tsne(request: ProjectRequest): Generator<ProjectProgress> {
  const { n, d, dims, iterations } = request;
  const rand = random(request.seed);
  const p = affinities(squaredDistances(request.data, n, d), n, Math.min(request.perplexity, (n - 1) / 3));
  const y = new Float64Array(n * dims).map(() => (rand() - 0.5) * 1e-2);
  const velocity = new Float64Array(n * dims);
  const gains = new Float64Array(n * dims).fill(1);
  const gradient = new Float64Array(n * dims);
  const q = new Float64Array(n * n);
  const exaggerationEnd = Math.min(100, iterations / 4);
  for (let iteration = 0; iteration < iterations; iteration++) {
    let sumQ = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        let dist = 0;
        for (let k = 0; k < dims; k++) {
          const diff = y[i * dims + k] - y[j * dims + k];
          dist += diff * diff;
        }
        const value = 1 / (1 + dist);
        q[i * n + j] = q[j * n + i] = value;
        sumQ += 2 * value;
      }
    }
    const exaggeration = iteration < exaggerationEnd ? 4 : 1;
    gradient.fill(0);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        const kernel = q[i * n + j];
        const force = 4 * (exaggeration * p[i * n + j] - kernel / sumQ) * kernel;
        for (let k = 0; k < dims; k++) gradient[i * dims + k] += force * (y[i * dims + k] - y[j * dims + k]);
      }
    }
    const momentum = iteration < 250 ? 0.5 : 0.8;
    for (let i = 0; i < n * dims; i++) {
      gains[i] = Math.sign(gradient[i]) === Math.sign(velocity[i]) ? gains[i] * 0.8 : gains[i] + 0.2;
      gains[i] = Math.max(gains[i], 0.01);
      velocity[i] = momentum * velocity[i] - 10 * gains[i] * gradient[i];
      y[i] += velocity[i];
    }
    if (iteration % 10 === 9 || iteration === iterations - 1) {
      yield { done: iteration + 1, total: iterations, coords: Float32Array.from(y), finished: iteration === iterations - 1 };
    }
  }
}

function* umap(request: ProjectRequest): Generator<ProjectProgress> {
  const { n, d } = request;
  const rows = Array.from({ length: n }, (_, i) => Array.from(request.data.subarray(i * d, (i + 1) * d)));
  const model = new UMAP({ nComponents: request.dims, nNeighbors: Math.max(2, Math.min(15, n - 1)), minDist: 0.1, random: random(request.seed) });
  const total = model.initializeFit(rows);
  for (let epoch = 0; epoch < total; epoch++) {
    model.step();
    if (epoch % 10 === 9 || epoch === total - 1) {
      yield { done: epoch + 1, total, coords: Float32Array.from(model.getEmbedding().flat()), finished: epoch === total - 1 };
    }
  }
}

self.onmessage = (event: MessageEvent<ProjectRequest>) => {
  const request = event.data;
  for (const progress of request.method === "tsne" ? tsne(request) : umap(request)) {
    (self as unknown as Worker).postMessage(progress, [progress.coords.buffer]);
  }
};
