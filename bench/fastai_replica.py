#!/usr/bin/env python3
"""fastai's collab_learner in plain PyTorch, for bench/fastai_compare.sh.

fastai itself is not installable here (no PyPI), so this replicates what
`collab_learner(dls, n_factors=50, y_range=(0, 5.5))` followed by
`learn.fit_one_cycle(5, 5e-3, wd=0.1)` computes, from fastai 2's source:

- data (fastai/collab.py, CollabDataLoaders.from_df): users and items are
  categorised on the training set with '#na#' as class 0, so the
  embeddings have n + 1 rows and an id unseen in training maps to 0;
  the training DataLoader shuffles every epoch and drops the last
  incomplete batch (bs 64);
- model (EmbeddingDotBias): u_weight, i_weight, u_bias, i_bias, each an
  fastai Embedding initialised by trunc_normal_(std=0.01), which fastai
  computes as normal_().fmod_(2).mul_(std); forward =
  sigmoid(dot + u_bias + i_bias) * (hi - lo) + lo with y_range (0, 5.5);
- loss MSELossFlat (mean over the batch), dense embedding gradients, so
  every parameter gets an optimizer step at every batch, as in fastai;
- optimizer (fastai/optimizer.py, Adam with decouple_wd=True): for each
  parameter, in this order: weight_decay p *= 1 - lr*wd;
  average_grad(dampening=True) m = mom*m + (1-mom)*g;
  average_sqr_grad v = sqr_mom*v + (1-sqr_mom)*g^2; step_stat step += 1;
  adam_step p -= lr/debias1 * m / (sqrt(v/debias2) + eps), with
  debias(mom, 1-mom, step) = 1 - mom^step; sqr_mom 0.99, eps 1e-5;
- schedule (fastai/callback/schedule.py, fit_one_cycle): before each batch
  at pct_train = iteration / (epochs * batches per epoch),
  lr = combined_cos(0.25, lr_max/25, lr_max, lr_max/1e5) and
  mom = combined_cos(0.25, 0.95, 0.85, 0.95), where combined_cos runs
  sched_cos(a, b, p) = a + (1 + cos(pi*(1-p))) * (b-a) / 2 over
  [0, 0.25) and [0.25, 1].

Input: the training and validation ratings as CSV with columns
user,item,rating (goodlens-export ratings-csv --subset train|valid).
Output on stdout, key=value lines: n_train, n_valid, epochs, threads,
train_seconds, ratings_per_s (training ratings x epochs / training
seconds, validation excluded), ratings_per_cpu_s (the same per CPU-second
of the process), valid_rmse, valid_mae, and valid_rmse per epoch on
stderr.
"""
import argparse
import csv
import math
import sys
import time

import torch


def read_ratings(path):
    users, items, ratings = [], [], []
    with open(path, newline="") as f:
        r = csv.reader(f)
        head = next(r)
        cu, ci, cr = head.index("user"), head.index("item"), head.index("rating")
        for row in r:
            users.append(row[cu])
            items.append(row[ci])
            ratings.append(float(row[cr]))
    return users, items, ratings


def categorify(train_vals, *others):
    """fastai's Categorify: sorted training classes after '#na#' (0)."""
    classes = sorted(set(train_vals), key=lambda v: (0, int(v), "") if v.isdigit() else (1, 0, v))
    index = {v: j + 1 for j, v in enumerate(classes)}
    out = [torch.tensor([index[v] for v in train_vals], dtype=torch.long)]
    for vals in others:
        out.append(torch.tensor([index.get(v, 0) for v in vals], dtype=torch.long))
    return len(classes) + 1, out


def trunc_normal_(x, std):
    """fastai's trunc_normal_: normal_().fmod_(2).mul_(std)."""
    return x.normal_().fmod_(2).mul_(std)


class EmbeddingDotBias(torch.nn.Module):
    def __init__(self, n_factors, n_users, n_items, y_range):
        super().__init__()
        self.y_range = y_range
        self.u_weight, self.i_weight, self.u_bias, self.i_bias = [
            torch.nn.Embedding(*o) for o in
            [(n_users, n_factors), (n_items, n_factors), (n_users, 1), (n_items, 1)]]
        for e in (self.u_weight, self.i_weight, self.u_bias, self.i_bias):
            with torch.no_grad():
                trunc_normal_(e.weight, 0.01)

    def forward(self, users, items):
        dot = self.u_weight(users) * self.i_weight(items)
        res = dot.sum(1) + self.u_bias(users).squeeze(1) + self.i_bias(items).squeeze(1)
        lo, hi = self.y_range
        return torch.sigmoid(res) * (hi - lo) + lo


def sched_cos(start, end, pos):
    return start + (1 + math.cos(math.pi * (1 - pos))) * (end - start) / 2


def combined_cos(pct, start, middle, end, pos):
    # combine_scheds([pct, 1 - pct], ...): the last phase whose start <= pos
    if pos >= pct:
        return sched_cos(middle, end, (pos - pct) / (1 - pct))
    return sched_cos(start, middle, pos / pct)


class FastaiAdam:
    """fastai's Adam(decouple_wd=True) as its callbacks compute it."""

    def __init__(self, params, sqr_mom=0.99, eps=1e-5, wd=0.1):
        self.params = list(params)
        self.sqr_mom, self.eps, self.wd = sqr_mom, eps, wd
        self.state = [{"grad_avg": torch.zeros_like(p), "sqr_avg": torch.zeros_like(p), "step": 0}
                      for p in self.params]

    @torch.no_grad()
    def step(self, lr, mom):
        for p, st in zip(self.params, self.state):
            if p.grad is None:
                continue
            g = p.grad
            p.mul_(1 - lr * self.wd)                                    # weight_decay
            st["grad_avg"].mul_(mom).add_(g, alpha=1 - mom)             # average_grad
            st["sqr_avg"].mul_(self.sqr_mom).addcmul_(g, g, value=1 - self.sqr_mom)
            st["step"] += 1                                             # step_stat
            debias1 = 1 - mom ** st["step"]
            debias2 = 1 - self.sqr_mom ** st["step"]
            p.addcdiv_(st["grad_avg"], (st["sqr_avg"] / debias2).sqrt() + self.eps,
                       value=-lr / debias1)                            # adam_step

    def zero_grad(self):
        for p in self.params:
            p.grad = None


def evaluate(model, users, items, ratings, bs=4096):
    model.eval()
    se = ae = 0.0
    with torch.no_grad():
        for s in range(0, len(ratings), bs):
            pred = model(users[s:s + bs], items[s:s + bs])
            d = pred - ratings[s:s + bs]
            se += float((d * d).sum())
            ae += float(d.abs().sum())
    model.train()
    n = len(ratings)
    return math.sqrt(se / n), ae / n


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("train_csv")
    ap.add_argument("valid_csv")
    ap.add_argument("--factors", type=int, default=50)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--lr", type=float, default=5e-3)
    ap.add_argument("--wd", type=float, default=0.1)
    ap.add_argument("--bs", type=int, default=64)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    if a.threads:
        torch.set_num_threads(a.threads)

    tu, ti, tr = read_ratings(a.train_csv)
    vu, vi, vr = read_ratings(a.valid_csv)
    n_users, (tu, vu) = categorify(tu, vu)
    n_items, (ti, vi) = categorify(ti, vi)
    tr = torch.tensor(tr, dtype=torch.float32)
    vr = torch.tensor(vr, dtype=torch.float32)

    model = EmbeddingDotBias(a.factors, n_users, n_items, (0.0, 5.5))
    opt = FastaiAdam(model.parameters(), wd=a.wd)
    n_iter = len(tr) // a.bs  # drop_last
    total = a.epochs * n_iter
    train_secs = train_cpu = 0.0
    it = 0
    for epoch in range(a.epochs):
        perm = torch.randperm(len(tr))
        t0, c0 = time.perf_counter(), time.process_time()
        for b in range(n_iter):
            idx = perm[b * a.bs:(b + 1) * a.bs]
            pos = it / total
            lr = combined_cos(0.25, a.lr / 25, a.lr, a.lr / 1e5, pos)
            mom = combined_cos(0.25, 0.95, 0.85, 0.95, pos)
            loss = torch.nn.functional.mse_loss(model(tu[idx], ti[idx]), tr[idx])
            loss.backward()
            opt.step(lr, mom)
            opt.zero_grad()
            it += 1
        train_secs += time.perf_counter() - t0
        train_cpu += time.process_time() - c0
        rmse, _ = evaluate(model, vu, vi, vr)
        print(f"epoch {epoch}: valid_rmse {rmse:.6f}", file=sys.stderr)
    rmse, mae = evaluate(model, vu, vi, vr)
    print(f"n_train={len(tr)}\nn_valid={len(vr)}\nepochs={a.epochs}\n"
          f"threads={torch.get_num_threads()}\ntrain_seconds={train_secs:.3f}\n"
          f"ratings_per_s={n_iter * a.bs * a.epochs / train_secs:.0f}\n"
          f"ratings_per_cpu_s={n_iter * a.bs * a.epochs / train_cpu:.0f}\n"
          f"valid_rmse={rmse:.6f}\nvalid_mae={mae:.6f}")


if __name__ == "__main__":
    main()
