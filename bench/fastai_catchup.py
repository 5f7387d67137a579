#!/usr/bin/env python3
"""How far sparse Adam's catch-up (train/optim.h) is from dense Adam's drift.

A row last updated at step a and absent over steps a+1..b moves, under
fastai's Adam with a zero gradient, by

    F * sum_j K_j m / (s r_j + eps),   s = sqrt(v) of the row at step a,

K_j = c_j M_j / F_j and r_j = beta2^((j-a)/2) sqrt(id2_j) (optim.h).  That
sum has no closed form in s because of eps; goodlens takes it by a two-node
Gauss quadrature built from the first four moments of the measure K_j at
the nodes 1/r_j (train/optim.c cu_quad).  This script computes, in double,
the exact sum and the quadrature over a grid of s (1e-8 to 1e-1, where eps
1e-5 matters most), absences of 1 to 1000 steps and starting steps a along
fastai's fit_one_cycle (lr 5e-3, div 25, div_final 1e5, pct_start 0.25,
moms 0.95/0.85/0.95, beta2 0.99, eps 1e-5, decoupled wd 0.1, T steps), and
prints the worst relative error of the drift per starting step.  No
PyTorch needed.  Usage: python3 bench/fastai_catchup.py [T]
"""
import math
import sys


def sched_cos(a, b, p):
    return a + (1 + math.cos(math.pi * (1 - p))) * (b - a) / 2


def one_cycle(pos, lr=5e-3, pct=0.25):
    if pos >= pct:
        p = (pos - pct) / (1 - pct)
        return sched_cos(lr, lr / 1e5, p), sched_cos(0.85, 0.95, p)
    return sched_cos(lr / 25, lr, pos / pct), sched_cos(0.95, 0.85, pos / pct)


def quad(mu):
    """cu_quad: [(weight, node)] of the two-node Gauss rule (or one node)."""
    m0, m1, m2, m3 = mu
    one = [(m0, m1 / m0)]
    det = m0 * m2 - m1 * m1
    if not det > 1e-6 * m0 * m2:
        return one
    b = (m1 * m2 - m0 * m3) / det
    c = (m1 * m3 - m2 * m2) / det
    disc = b * b - 4 * c
    if not disc > 0:
        return one
    u1, u2 = (-b + math.sqrt(disc)) / 2, (-b - math.sqrt(disc)) / 2
    w1 = (m1 - u2 * m0) / (u1 - u2)
    w2 = m0 - w1
    if not (u2 > 0 and w1 > 0 and w2 > 0):
        return one
    return [(w1, u1), (w2, u2)]


def main():
    T = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    b2, eps, wd = 0.99, 1e-5, 0.1
    print(f"fit_one_cycle over {T} steps; worst relative error of the drift")
    print("start step  gaps 1..1000")
    for a in [1, 2, 5, 10, 30, 100, 200, 400, 1000, T // 4, T // 2, 3 * T // 4, T - 1001]:
        worst = 0.0
        for gap in [1, 2, 3, 5, 10, 20, 50, 125, 300, 1000]:
            if a + gap >= T:
                continue
            K, U = [], []
            M = F = 1.0
            for t in range(a + 1, a + gap + 1):
                lr, mom = one_cycle((t - 1) / T)
                M *= mom
                F *= 1 - lr * wd
                c = lr / (1 - mom ** t)
                K.append(c * M / F)
                U.append(1 / (b2 ** ((t - a) / 2) / math.sqrt(1 - b2 ** t)))
            mu = [sum(k * u ** n for k, u in zip(K, U)) for n in range(4)]
            q = quad(mu)
            for e in range(-32, -3):
                s = 10 ** (e / 4)
                exact = sum(k * u / (s + eps * u) for k, u in zip(K, U))
                approx = sum(w * u / (s + eps * u) for w, u in q)
                worst = max(worst, abs(approx - exact) / exact)
        print(f"{a:10d}  {worst:.2e}")


if __name__ == "__main__":
    main()
