#!/usr/bin/env python3
"""Loads a tailnas checkpoint into PyTorch with load_state_dict(strict=True) and runs it.

    python load-into-pytorch.py RUN/train/checkpoints/epoch-010.safetensors [--darts DIR] [--reference DIR]
    python load-into-pytorch.py RUN/checkpoints/epoch-010.safetensors [--darts DIR] [--reference DIR]

A training checkpoint (RUN/train) goes into DARTS' evaluation network: with --darts DIR (a checkout of
DARTS' `cnn` directory, https://github.com/quark0/darts) DARTS' own `model.NetworkCIFAR` (one classifier,
3-channel 32x32 images, as DARTS trains on CIFAR-10), otherwise `darts_eval_ref.NetworkEval` from
--reference (default: ../shared/bench), which has the same names and also the two BBN heads and 1-channel
images. A search checkpoint goes into DARTS' search network: `model_search.Network` with --darts (plain
DARTS; its alphas are not module state, so they are copied in after the strict load of every weight and
running statistic), otherwise `darts_ref.Network` (heads too; alphas are its parameters). The widths, genotype
and heads come from the config.toml stored in the checkpoint's metadata. Every parameter and buffer
(running_mean, running_var, num_batches_tracked) must match by name and shape; the optimizers' state is left
out. Then one batch goes through the network in eval mode and its logits must be finite. Needs torch.
Exit status: 0 loaded, 1 a mismatch, 2 bad arguments.
"""
import argparse, json, math, os, struct, sys, tomllib, types

import torch

DTYPES = {'F32': torch.float32, 'F64': torch.float64, 'I64': torch.int64, 'I32': torch.int32}


def read_safetensors(path):
    """The tensors and metadata of a safetensors file (u64 LE header length, JSON header, raw data)."""
    with open(path, 'rb') as f:
        data = f.read()
    (length,) = struct.unpack('<Q', data[:8])
    header = json.loads(data[8:8 + length])
    metadata = header.pop('__metadata__', {})
    tensors = {}
    for name, entry in header.items():
        start, end = entry['data_offsets']
        raw = bytearray(data[8 + length + start: 8 + length + end])
        tensor = torch.frombuffer(raw, dtype=DTYPES[entry['dtype']]) if raw else torch.empty(0, dtype=DTYPES[entry['dtype']])
        tensors[name] = tensor.reshape(entry['shape']).clone()
    return tensors, metadata


def genotype_dict(text):
    """DARTS' Genotype text as a dict of lists (normal, normal_concat, reduce, ..., instance, class)."""
    import ast
    call = ast.parse(text, mode='eval').body
    fields = {k.arg: ast.literal_eval(k.value) for k in call.keywords}
    renamed = {'instance_head': 'instance', 'instance_head_concat': 'instance_concat',
               'class_head': 'class', 'class_head_concat': 'class_concat'}
    return {renamed.get(k, k): v for k, v in fields.items()}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('checkpoint')
    ap.add_argument('--darts', help="DARTS' cnn directory: load into model.NetworkCIFAR")
    ap.add_argument('--reference', default=os.path.join(here, '..', '..', 'shared', 'bench'),
                    help='the directory of darts_eval_ref.py (default: ../shared/bench)')
    args = ap.parse_args()
    tensors, metadata = read_safetensors(args.checkpoint)
    kind = metadata.get('format', '')
    if not kind.startswith('tailnas-'):
        sys.exit(f'{args.checkpoint} is not a tailnas checkpoint (format {kind!r})')
    config = tomllib.loads(metadata['config'])
    state = {k: v for k, v in tensors.items() if not k.startswith('optimizer.') and not k.startswith('architect.')}
    in_ch = state['stem.0.weight'].shape[1]
    classes = (state['classifier.weight'] if 'classifier.weight' in state else state['classifier_instance.weight']).shape[0]
    size = {'fashion-mnist': 28, 'mnist': 28}.get(config.get('data', {}).get('dataset'), 32)
    torch.manual_seed(0)
    if args.darts:
        sys.path.insert(0, args.darts)
        # DARTS' utils imports torchvision for its data transforms; the models only need drop_path.
        try:
            import torchvision  # noqa: F401
        except ImportError:
            fake = types.ModuleType('torchvision')
            fake.transforms = types.ModuleType('torchvision.transforms')
            fake.datasets = types.ModuleType('torchvision.datasets')
            sys.modules.update({'torchvision': fake, 'torchvision.transforms': fake.transforms,
                                'torchvision.datasets': fake.datasets})
    alphas = {}
    if kind.startswith('tailnas-training-checkpoint'):
        train = config['train']
        genotype = genotype_dict(train['genotype'])
        two_heads = 'instance' in genotype
        C, layers, auxiliary = train['init_channels'], train['layers'], train.get('auxiliary', True)
        if args.darts:
            if two_heads or in_ch != 3 or size != 32:
                sys.exit("DARTS' NetworkCIFAR has one classifier and takes 3x32x32 images; use darts_eval_ref here")
            import genotypes, model
            g = genotypes.Genotype(genotype['normal'], genotype['normal_concat'], genotype['reduce'],
                                   genotype['reduce_concat'])
            net = model.NetworkCIFAR(C, classes, layers, auxiliary, g)
            net.drop_path_prob = 0.0
            name = "DARTS' model.NetworkCIFAR"
        else:
            sys.path.insert(0, os.path.abspath(args.reference))
            import darts_eval_ref
            net = darts_eval_ref.NetworkEval(C, classes, layers, genotype, in_ch=in_ch, size=size, auxiliary=auxiliary,
                                             heads=2 if two_heads else 0, head_cells=train.get('head_cells', 1))
            name = 'darts_eval_ref.NetworkEval'
        run = lambda x: net(x) if args.darts else net(x, None, 0.5, None)
    else:
        network = config['network']
        C, layers = network['init_channels'], network['layers']
        two_heads = 'alphas_instance' in state
        if args.darts:
            if two_heads or in_ch != 3:
                sys.exit("DARTS' model_search.Network is plain DARTS on 3-channel images; use darts_ref here")
            torch.Tensor.cuda = lambda self, *a, **k: self  # DARTS makes its alphas on the GPU
            import model_search
            net = model_search.Network(C, classes, layers, torch.nn.CrossEntropyLoss())
            alphas = {k: state.pop(k) for k in list(state) if k.startswith('alphas_')}
            name = "DARTS' model_search.Network"
            run = lambda x: net(x)
        else:
            sys.path.insert(0, os.path.abspath(args.reference))
            import darts_ref
            net = darts_ref.Network(C, classes, layers, in_ch=in_ch, heads=2 if two_heads else 0,
                                    head_cells=network.get('head_cells', 1))
            name = 'darts_ref.Network'
            run = lambda x: net(x, None, 0.5)
    expected = net.state_dict()
    problems = [f'{k}: shape {tuple(v.shape)} in the checkpoint, {tuple(expected[k].shape)} in {name}'
                for k, v in state.items() if k in expected and tuple(v.shape) != tuple(expected[k].shape)]
    if problems:
        print('\n'.join(problems)); sys.exit(1)
    try:
        net.load_state_dict(state, strict=True)
    except RuntimeError as error:
        print(error); sys.exit(1)
    for key, value in alphas.items():
        getattr(net, key).data.copy_(value)
    net.eval()
    with torch.no_grad():
        out = run(torch.randn(4, in_ch, size, size))
        logits = out[0] if isinstance(out, tuple) else out
    if not torch.isfinite(logits).all():
        print('the logits are not finite'); sys.exit(1)
    print(f'{args.checkpoint}: {len(state)} tensors loaded into {name} with strict=True '
          f'({sum(v.numel() for k, v in state.items() if "num_batches" not in k)} values); eval logits {tuple(logits.shape)} finite')


if __name__ == '__main__':
    main()
