#!/usr/bin/env python3
"""fastai's collab_learner in plain PyTorch, for bench/fastai_compare.sh.

fastai itself is not installable here (no PyPI), so this replicates what
`collab_learner(dls, n_factors=50, y_range=(0, 5.5))` (--model dot) or
`collab_learner(dls, use_nn=True, y_range=(0, 5.5))` (--model nn) followed
by `learn.fit_one_cycle(5, 5e-3, wd=0.1)` computes, from fastai 2's source
(the fastai book chapter's settings; fastai's own defaults are lr 1e-3, wd
0.01 and no y_range):

- data (fastai/collab.py, CollabDataLoaders.from_df): users and items are
  categorised on the training set with '#na#' as class 0, so the
  embeddings have n + 1 rows and an id unseen in training maps to 0;
  the training DataLoader shuffles every epoch and drops the last
  incomplete batch (bs 64);
- model (EmbeddingDotBias): u_weight, i_weight, u_bias, i_bias, each an
  fastai Embedding initialised by trunc_normal_(std=0.01), which fastai
  computes as normal_().fmod_(2).mul_(std); forward =
  sigmoid(dot + u_bias + i_bias) * (hi - lo) + lo with y_range (0, 5.5);
- model (EmbeddingNN, --model nn): collab_learner passes
  layers=[n_factors] and get_emb_sz's sizes, emb_sz_rule(n) = min(600,
  round(1.6 * n**0.56)) with n counting '#na#'; TabularModel(n_cont=0,
  out_sz=1): the two embeddings concatenated (fastai Embedding, std 0.01),
  then per hidden layer LinBnDrop(lin_first=True) = Linear(bias=False),
  ReLU, BatchNorm1d made by fastai's BatchNorm() (weight 1, bias 1e-3),
  then Linear(bias=True) to 1 output and SigmoidRange(0, 5.5); Linear
  layers keep PyTorch's initialisation; Learner(wd_bn_bias=False): no
  weight decay on BatchNorm parameters and biases;
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
Output on stdout, key=value lines: epoch_valid_loss=EPOCH,MSE after each
epoch (what goodlens-train's metrics.csv calls valid_loss), then n_train,
n_valid, epochs, threads, train_seconds, ratings_per_s (training ratings x
epochs / training seconds, validation excluded), ratings_per_cpu_s (the
same per CPU-second of the process), valid_rmse, valid_mae.
"""
import argparse
import csv
import math
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


def emb_sz_rule(n_cat):
    """fastai/tabular/model.py: n_cat counts the '#na#' class."""
    return min(600, round(1.6 * n_cat ** 0.56))


class EmbeddingNN(torch.nn.Module):
    """TabularModel(emb_szs, n_cont=0, out_sz=1, layers, y_range) as
    collab_learner(use_nn=True) builds it (lin_first=True, no dropout)."""

    def __init__(self, n_users, n_items, layers, y_range):
        super().__init__()
        self.y_range = y_range
        du, di = emb_sz_rule(n_users), emb_sz_rule(n_items)
        self.embeds = torch.nn.ModuleList([torch.nn.Embedding(n_users, du),
                                           torch.nn.Embedding(n_items, di)])
        for e in self.embeds:
            with torch.no_grad():
                trunc_normal_(e.weight, 0.01)
        sizes = [du + di] + list(layers)
        mods = []
        for a, b in zip(sizes[:-1], sizes[1:]):
            bn = torch.nn.BatchNorm1d(b)
            with torch.no_grad():   # fastai's BatchNorm(): _get_norm
                bn.bias.fill_(1e-3)
                bn.weight.fill_(1.0)
            mods += [torch.nn.Linear(a, b, bias=False), torch.nn.ReLU(), bn]
        mods.append(torch.nn.Linear(sizes[-1], 1))
        self.layers = torch.nn.Sequential(*mods)

    def forward(self, users, items):
        x = torch.cat([self.embeds[0](users), self.embeds[1](items)], 1)
        lo, hi = self.y_range
        return torch.sigmoid(self.layers(x).squeeze(1)) * (hi - lo) + lo

    def no_wd(self):
        """fastai's norm_bias_params: BatchNorm parameters and biases."""
        out = []
        for m in self.modules():
            if isinstance(m, torch.nn.BatchNorm1d):
                out += list(m.parameters())
            elif isinstance(m, torch.nn.Linear) and m.bias is not None:
                out.append(m.bias)
        return out


def sched_cos(start, end, pos):
    return start + (1 + math.cos(math.pi * (1 - pos))) * (end - start) / 2


def combined_cos(pct, start, middle, end, pos):
    # combine_scheds([pct, 1 - pct], ...): the last phase whose start <= pos
    if pos >= pct:
        return sched_cos(middle, end, (pos - pct) / (1 - pct))
    return sched_cos(start, middle, pos / pct)


class FastaiAdam:
    """fastai's Adam(decouple_wd=True) as its callbacks compute it."""

    def __init__(self, params, sqr_mom=0.99, eps=1e-5, wd=0.1, no_wd=()):
        self.params = list(params)
        self.sqr_mom, self.eps, self.wd = sqr_mom, eps, wd
        skip = {id(p) for p in no_wd}
        self.do_wd = [id(p) not in skip for p in self.params]
        self.state = [{"grad_avg": torch.zeros_like(p), "sqr_avg": torch.zeros_like(p), "step": 0}
                      for p in self.params]

    @torch.no_grad()
    def step(self, lr, mom):
        for p, st, do_wd in zip(self.params, self.state, self.do_wd):
            if p.grad is None:
                continue
            g = p.grad
            if do_wd:
                p.mul_(1 - lr * self.wd)                                # weight_decay
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
    ap.add_argument("--model", choices=["dot", "nn"], default="dot")
    ap.add_argument("--factors", type=int, default=50, help="n_factors (nn: layers=[n_factors])")
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

    if a.model == "nn":
        model = EmbeddingNN(n_users, n_items, [a.factors], (0.0, 5.5))
        opt = FastaiAdam(model.parameters(), wd=a.wd, no_wd=model.no_wd())
    else:
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
        print(f"epoch_valid_loss={epoch},{rmse * rmse:.6f}", flush=True)
    rmse, mae = evaluate(model, vu, vi, vr)
    print(f"n_train={len(tr)}\nn_valid={len(vr)}\nepochs={a.epochs}\n"
          f"threads={torch.get_num_threads()}\ntrain_seconds={train_secs:.3f}\n"
          f"ratings_per_s={n_iter * a.bs * a.epochs / train_secs:.0f}\n"
          f"ratings_per_cpu_s={n_iter * a.bs * a.epochs / train_cpu:.0f}\n"
          f"valid_rmse={rmse:.6f}\nvalid_mae={mae:.6f}")


if __name__ == "__main__":
    main()
