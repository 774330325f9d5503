"""Per-op forward and forward+backward medians in PyTorch eager, at the shapes of `tailnas bench ops`.

Prints one JSON line per op ({"op", "shape", "forward_ms", "forward_backward_ms"}), the same lines as
`tailnas bench ops`, so the two compare side by side:

    /tmp/torchenv/bin/python scripts/bench_ops_torch.py --threads 2 > /tmp/torch_ops.jsonl
    tailnas bench ops --compare /tmp/torch_ops.jsonl

Forward runs under torch.no_grad(); forward+backward seeds a gradient of ones (or backward() on a scalar).
"""
import argparse, json, sys, time
import torch, torch.nn.functional as F

sys.path.insert(0, '/work/shared/bench')


def rnd(shape, seed, grad=True):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(*shape, generator=g).requires_grad_(grad)


def cases(n=32):
    x8, x16, x32 = [n, 8, 32, 32], [n, 16, 16, 16], [n, 32, 8, 8]
    out = []

    def op(name, shape, params=(), body=None):
        out.append((name, shape, lambda: [rnd(shape, 1)] + [rnd(p, 2 + i) for i, p in enumerate(params)], body))

    op('conv3x3_stem', [n, 3, 32, 32], [[24, 3, 3, 3]], lambda i: F.conv2d(i[0], i[1], padding=1))
    for name, shape, k, s, p, d in [
        ('dw3x3_s1', x8, 3, 1, 1, 1), ('dw5x5_s1', x8, 5, 1, 2, 1), ('dw3x3_d2', x8, 3, 1, 2, 2),
        ('dw5x5_d2', x8, 5, 1, 4, 2), ('dw3x3_s2', x8, 3, 2, 1, 1), ('dw5x5_s2', x8, 5, 2, 2, 1),
        ('dw3x3_d2_s2', x8, 3, 2, 2, 2), ('dw3x3_s1_c16', x16, 3, 1, 1, 1), ('dw5x5_s1_c32', x32, 5, 1, 2, 1)]:
        c = shape[1]
        op(name, shape, [[c, 1, k, k]],
           lambda i, s=s, p=p, d=d, c=c: F.conv2d(i[0], i[1], stride=s, padding=p, dilation=d, groups=c))
    op('conv1x1_s1', x8, [[8, 8, 1, 1]], lambda i: F.conv2d(i[0], i[1]))
    op('conv1x1_s1_c16', x16, [[16, 16, 1, 1]], lambda i: F.conv2d(i[0], i[1]))
    op('conv1x1_s1_c32', x32, [[32, 32, 1, 1]], lambda i: F.conv2d(i[0], i[1]))
    op('conv1x1_pre_24to8', [n, 24, 32, 32], [[8, 24, 1, 1]], lambda i: F.conv2d(i[0], i[1]))
    op('conv1x1_s2', x8, [[8, 8, 1, 1]], lambda i: F.conv2d(i[0], i[1], stride=2))
    op('batchnorm', x8, (), lambda i: F.batch_norm(i[0], None, None, training=True))
    op('batchnorm_affine', [n, 24, 32, 32], [[24], [24]],
       lambda i: F.batch_norm(i[0], None, None, i[1], i[2], training=True))
    op('relu', x8, (), lambda i: F.relu(i[0]))
    op('maxpool_s1', x8, (), lambda i: F.max_pool2d(i[0], 3, 1, 1))
    op('maxpool_s2', x8, (), lambda i: F.max_pool2d(i[0], 3, 2, 1))
    op('avgpool_s1', x8, (), lambda i: F.avg_pool2d(i[0], 3, 1, 1, count_include_pad=False))
    op('avgpool_s2', x8, (), lambda i: F.avg_pool2d(i[0], 3, 2, 1, count_include_pad=False))
    out.append(('concat4', x8, lambda: [rnd(x8, 10 + k) for k in range(4)], lambda i: torch.cat(i, 1)))
    op('slice_1_1', x8, (), lambda i: i[0][:, :, 1:, 1:])
    out.append(('weighted_sum7', x8, lambda: [rnd(x8, 20 + k) for k in range(7)] + [rnd([8], 30)],
                lambda i: sum(i[7][k + 1] * i[k] for k in range(7))))
    op('global_avg_pool', [n, 128, 8, 8], (), lambda i: F.adaptive_avg_pool2d(i[0], 1).view(n, -1))
    op('linear', [n, 128], [[10, 128], [10]], lambda i: F.linear(i[0], i[1], i[2]))
    op('softmax', [14, 8], (), lambda i: F.softmax(i[0], dim=-1))
    targets = torch.arange(n) % 10
    out.append(('cross_entropy', [n, 10], lambda: [rnd([n, 10], 40)], lambda i: F.cross_entropy(i[0], targets)))

    def sep(i):
        y = F.conv2d(F.relu(i[0]), i[1], padding=1, groups=8)
        y = F.batch_norm(F.conv2d(y, i[2]), None, None, training=True)
        y = F.conv2d(F.relu(y), i[3], padding=1, groups=8)
        return F.batch_norm(F.conv2d(y, i[4]), None, None, training=True)
    op('sep_conv_3x3', x8, [[8, 1, 3, 3], [8, 8, 1, 1], [8, 1, 3, 3], [8, 8, 1, 1]], sep)

    def dil(i):
        y = F.conv2d(F.relu(i[0]), i[1], padding=2, dilation=2, groups=8)
        return F.batch_norm(F.conv2d(y, i[2]), None, None, training=True)
    op('dil_conv_3x3', x8, [[8, 1, 3, 3], [8, 8, 1, 1]], dil)

    from darts_ref import MixedOp
    for stride in (1, 2):
        edge = MixedOp(8, stride)
        out.append((f'mixed_op_s{stride}', x8, lambda: [rnd(x8, 50), rnd([8], 51)],
                     lambda i, edge=edge: edge(i[0], F.softmax(i[1], dim=-1))))
    return out


def median_ms(make, body, backward, min_time, min_reps, channels_last):
    inputs = make()
    if channels_last:
        inputs = [t.detach().to(memory_format=torch.channels_last).requires_grad_(True) if t.dim() == 4 else t
                  for t in inputs]

    def once():
        for t in inputs:
            t.grad = None
        if backward:
            y = body(inputs)
            if y.numel() == 1:
                y.backward()
            else:
                y.backward(torch.ones_like(y))
        else:
            with torch.no_grad():
                body(inputs)

    for _ in range(3):
        once()
    samples, start = [], time.perf_counter()
    while len(samples) < min_reps or time.perf_counter() - start < min_time:
        t0 = time.perf_counter()
        once()
        samples.append((time.perf_counter() - t0) * 1e3)
        if len(samples) >= 2000:
            break
    samples.sort()
    return samples[len(samples) // 2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--min-time', type=float, default=0.25)
    ap.add_argument('--min-reps', type=int, default=10)
    ap.add_argument('--filter', default=None)
    ap.add_argument('--channels-last', action='store_true')
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    for name, shape, make, body in cases():
        if a.filter and a.filter not in name:
            continue
        f = median_ms(make, body, False, a.min_time, a.min_reps, a.channels_last)
        b = median_ms(make, body, True, a.min_time, a.min_reps, a.channels_last)
        print(json.dumps({'op': name, 'shape': 'x'.join(map(str, shape)), 'forward_ms': f, 'forward_backward_ms': b},
                         sort_keys=True), flush=True)


if __name__ == '__main__':
    main()
