//! Multigrade networks as ONNX models (opset 13), written and read with a small protobuf
//! codec of the few ONNX messages they need.
//!
//! # The model written
//!
//! One input `x` of shape `[N, d]` (`float64`, `N` symbolic). Each layer of each grade is a
//! `Gemm` node (`transB = 1`, so `W` is stored as `(out, in)` exactly as in the exchange
//! format of [`super::external`]) with its weight and bias as `float64` initializers; every
//! layer but a grade's last is followed by a `Relu`, `Sin` or `Tanh` node. Grade `k`'s first
//! `Gemm` reads grade `k-1`'s last activation output. The outputs are `F1 .. FK` of shape
//! `[N, 1]`: `F1 = q1`, and `Fk = Add(F(k-1), qk)`, one `Add` per grade after the first.
//! Weights are stored as `float64`, so the model computes with the exact network weights.
//!
//! # The models read
//!
//! Plain stacks: a graph with one input whose nodes are `Gemm` (with `transB = 1`, or
//! `transB = 0` and the weight transposed on reading; `alpha = beta = 1`), `MatMul` followed
//! by an `Add` of a bias initializer, and `Relu`/`Sin`/`Tanh`, and whose grade outputs are
//! either combined by `Add` nodes as above or listed as separate graph outputs. The reader
//! follows the data flow: a linear node producing one column ends a grade; the next grade
//! starts from the last activation before it.

use std::collections::HashMap;

use super::external::{Activation, DenseLayer, ExternalGrade, ExternalNetwork, FORMAT, VERSION};

/// ONNX's `TensorProto.DataType` codes used here.
const FLOAT: i64 = 1;
const DOUBLE: i64 = 11;

/// A protobuf message under construction.
#[derive(Default)]
struct Message(Vec<u8>);

impl Message {
    fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }

    fn key(&mut self, field: u32, wire: u8) {
        self.varint((u64::from(field) << 3) | u64::from(wire));
    }

    fn int(&mut self, field: u32, v: i64) -> &mut Self {
        self.key(field, 0);
        self.varint(v as u64);
        self
    }

    fn bytes(&mut self, field: u32, data: &[u8]) -> &mut Self {
        self.key(field, 2);
        self.varint(data.len() as u64);
        self.0.extend_from_slice(data);
        self
    }

    fn string(&mut self, field: u32, s: &str) -> &mut Self {
        self.bytes(field, s.as_bytes())
    }

    fn message(&mut self, field: u32, m: &Message) -> &mut Self {
        self.bytes(field, &m.0)
    }
}

/// `ValueInfoProto` for a `float64` tensor of shape `[N, cols]`.
fn value_info(name: &str, cols: usize) -> Message {
    let mut n = Message::default();
    n.string(2, "N");
    let mut c = Message::default();
    c.int(1, cols as i64);
    let mut shape = Message::default();
    shape.message(1, &n).message(1, &c);
    let mut tensor = Message::default();
    tensor.int(1, DOUBLE).message(2, &shape);
    let mut ty = Message::default();
    ty.message(1, &tensor);
    let mut info = Message::default();
    info.string(1, name).message(2, &ty);
    info
}

/// `TensorProto` of `float64` values with the given dimensions.
fn tensor(name: &str, dims: &[usize], values: impl Iterator<Item = f64>) -> Message {
    let mut t = Message::default();
    for &d in dims {
        t.int(1, d as i64);
    }
    t.int(2, DOUBLE).string(8, name);
    let raw: Vec<u8> = values.flat_map(f64::to_le_bytes).collect();
    t.bytes(9, &raw);
    t
}

/// `NodeProto`; `attributes` are integer attributes.
fn node(
    op: &str,
    name: &str,
    inputs: &[&str],
    output: &str,
    attributes: &[(&str, i64)],
) -> Message {
    let mut m = Message::default();
    for i in inputs {
        m.string(1, i);
    }
    m.string(2, output).string(3, name).string(4, op);
    for &(key, value) in attributes {
        let mut a = Message::default();
        a.string(1, key).int(3, value).int(20, 2);
        m.message(5, &a);
    }
    m
}

/// The network as an ONNX model; see the module documentation.
pub fn to_onnx(net: &ExternalNetwork) -> Vec<u8> {
    let mut graph = Message::default();
    let mut input = "x".to_string();
    let mut sum: Option<String> = None;
    let mut outputs = Vec::new();
    for (k, grade) in net.grades.iter().enumerate() {
        let k = k + 1;
        let mut cur = input.clone();
        let count = grade.layers.len();
        for (l, layer) in grade.layers.iter().enumerate() {
            let l = l + 1;
            let (w, b, y) = (
                format!("g{k}_W{l}"),
                format!("g{k}_b{l}"),
                format!("g{k}_y{l}"),
            );
            let rows = layer.weight.len();
            let cols = layer.weight[0].len();
            let values = layer.weight.iter().flatten().copied();
            graph.message(5, &tensor(&w, &[rows, cols], values));
            graph.message(5, &tensor(&b, &[rows], layer.bias.iter().copied()));
            let gemm = node(
                "Gemm",
                &format!("g{k}_gemm{l}"),
                &[&cur, &w, &b],
                &y,
                &[("transB", 1)],
            );
            graph.message(1, &gemm);
            if l < count {
                let (op, tag) = match grade.activation {
                    Activation::Relu => ("Relu", "relu"),
                    Activation::Sin => ("Sin", "sin"),
                    Activation::Tanh => ("Tanh", "tanh"),
                };
                let z = format!("g{k}_z{l}");
                graph.message(1, &node(op, &format!("g{k}_{tag}{l}"), &[&y], &z, &[]));
                cur = z;
            } else {
                let f = format!("F{k}");
                match &sum {
                    None => {
                        let n = node("Identity", &format!("g{k}_sum"), &[&y], &f, &[]);
                        graph.message(1, &n);
                    }
                    Some(prev) => {
                        let n = node("Add", &format!("g{k}_sum"), &[prev, &y], &f, &[]);
                        graph.message(1, &n);
                    }
                }
                outputs.push(f.clone());
                sum = Some(f);
            }
        }
        input = cur;
    }
    graph.string(2, "multigrade");
    graph.message(11, &value_info("x", net.input_dim));
    for f in &outputs {
        graph.message(12, &value_info(f, 1));
    }
    let mut opset = Message::default();
    opset.string(1, "").int(2, 13);
    let mut model = Message::default();
    model
        .int(1, 7)
        .string(2, "multigrade")
        .string(3, env!("CARGO_PKG_VERSION"))
        .message(7, &graph)
        .message(8, &opset);
    model.0
}

/// One field of a protobuf message: its number and its value.
#[derive(Clone, Debug)]
enum Field<'a> {
    Int(u64),
    Bytes(&'a [u8]),
    Fixed64(u64),
    Fixed32(u32),
}

fn varint(data: &[u8], at: &mut usize) -> Result<u64, String> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *data.get(*at).ok_or("truncated varint")?;
        *at += 1;
        v |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Ok(v);
        }
    }
    Err("overlong varint".into())
}

/// The fields of a message, in order.
fn fields(data: &[u8]) -> Result<Vec<(u32, Field<'_>)>, String> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < data.len() {
        let key = varint(data, &mut at)?;
        let field = (key >> 3) as u32;
        let take = |at: &mut usize, n: usize| -> Result<&[u8], String> {
            let end = at.checked_add(n).filter(|&e| e <= data.len());
            let end = end.ok_or("truncated field")?;
            let s = &data[*at..end];
            *at = end;
            Ok(s)
        };
        let value = match key & 7 {
            0 => Field::Int(varint(data, &mut at)?),
            1 => Field::Fixed64(u64::from_le_bytes(take(&mut at, 8)?.try_into().unwrap())),
            2 => {
                let n = varint(data, &mut at)? as usize;
                Field::Bytes(take(&mut at, n)?)
            }
            5 => Field::Fixed32(u32::from_le_bytes(take(&mut at, 4)?.try_into().unwrap())),
            w => return Err(format!("unsupported wire type {w}")),
        };
        out.push((field, value));
    }
    Ok(out)
}

fn text(f: &Field) -> Result<String, String> {
    match f {
        Field::Bytes(b) => {
            String::from_utf8(b.to_vec()).map_err(|_| "a string is not UTF-8".into())
        }
        _ => Err("expected a string".into()),
    }
}

/// A decoded initializer: dimensions and values.
struct Tensor {
    dims: Vec<usize>,
    values: Vec<f64>,
}

fn decode_tensor(data: &[u8]) -> Result<(String, Tensor), String> {
    let mut dims = Vec::new();
    let mut kind = 0i64;
    let mut name = String::new();
    let mut raw: Option<&[u8]> = None;
    let mut values = Vec::new();
    for (field, value) in fields(data)? {
        match (field, &value) {
            (1, Field::Int(d)) => dims.push(*d as usize),
            (1, Field::Bytes(b)) => {
                let mut at = 0;
                while at < b.len() {
                    dims.push(varint(b, &mut at)? as usize);
                }
            }
            (2, Field::Int(t)) => kind = *t as i64,
            (8, _) => name = text(&value)?,
            (9, Field::Bytes(b)) => raw = Some(b),
            (4, Field::Fixed32(v)) => values.push(f64::from(f32::from_bits(*v))),
            (4, Field::Bytes(b)) => values.extend(
                b.chunks_exact(4)
                    .map(|c| f64::from(f32::from_le_bytes(c.try_into().unwrap()))),
            ),
            (10, Field::Fixed64(v)) => values.push(f64::from_bits(*v)),
            (10, Field::Bytes(b)) => values.extend(
                b.chunks_exact(8)
                    .map(|c| f64::from_le_bytes(c.try_into().unwrap())),
            ),
            _ => {}
        }
    }
    if let Some(raw) = raw {
        values = match kind {
            FLOAT => raw
                .chunks_exact(4)
                .map(|c| f64::from(f32::from_le_bytes(c.try_into().unwrap())))
                .collect(),
            DOUBLE => raw
                .chunks_exact(8)
                .map(|c| f64::from_le_bytes(c.try_into().unwrap()))
                .collect(),
            _ => {
                return Err(format!(
                    "initializer {name}: data type {kind} is not float or double"
                ))
            }
        };
    }
    if kind != FLOAT && kind != DOUBLE {
        return Err(format!(
            "initializer {name}: data type {kind} is not float or double"
        ));
    }
    let count: usize = dims.iter().product();
    if count != values.len() {
        return Err(format!(
            "initializer {name}: {} values for shape {dims:?}",
            values.len()
        ));
    }
    Ok((name, Tensor { dims, values }))
}

/// A decoded node.
struct Node {
    op: String,
    inputs: Vec<String>,
    output: String,
    ints: HashMap<String, i64>,
    floats: HashMap<String, f32>,
}

fn decode_node(data: &[u8]) -> Result<Node, String> {
    let mut node = Node {
        op: String::new(),
        inputs: Vec::new(),
        output: String::new(),
        ints: HashMap::new(),
        floats: HashMap::new(),
    };
    let mut outputs = 0;
    for (field, value) in fields(data)? {
        match field {
            1 => node.inputs.push(text(&value)?),
            2 => {
                node.output = text(&value)?;
                outputs += 1;
            }
            4 => node.op = text(&value)?,
            5 => {
                let Field::Bytes(b) = value else {
                    return Err("bad attribute".into());
                };
                let mut name = String::new();
                for (f, v) in fields(b)? {
                    match (f, v) {
                        (1, v) => name = text(&v)?,
                        (2, Field::Fixed32(x)) => {
                            node.floats.insert(name.clone(), f32::from_bits(x));
                        }
                        (3, Field::Int(x)) => {
                            node.ints.insert(name.clone(), x as i64);
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    if outputs != 1 {
        return Err(format!("node {}: {outputs} outputs, expected 1", node.op));
    }
    Ok(node)
}

/// Reads an ONNX model of the shape described in the module documentation.
///
/// # Errors
///
/// A message for a malformed protobuf, an unsupported node or data type, or a graph that is
/// not a multigrade stack; the result is also validated as an exchange-format network.
pub fn from_onnx(data: &[u8]) -> Result<ExternalNetwork, String> {
    let model = fields(data).map_err(|e| format!("not an ONNX model: {e}"))?;
    let graph = model
        .iter()
        .find_map(|(f, v)| match (f, v) {
            (7, Field::Bytes(b)) => Some(*b),
            _ => None,
        })
        .ok_or("not an ONNX model: no graph")?;
    let mut nodes = Vec::new();
    let mut inits = HashMap::new();
    let mut inputs = Vec::new();
    for (field, value) in fields(graph).map_err(|e| format!("malformed graph: {e}"))? {
        let Field::Bytes(b) = value else { continue };
        match field {
            1 => nodes.push(decode_node(b)?),
            5 => {
                let (name, t) = decode_tensor(b)?;
                inits.insert(name, t);
            }
            11 => {
                let name = fields(b)?
                    .iter()
                    .find(|(f, _)| *f == 1)
                    .map(|(_, v)| text(v))
                    .transpose()?
                    .unwrap_or_default();
                inputs.push(name);
            }
            _ => {}
        }
    }
    inputs.retain(|name| !inits.contains_key(name));
    let [input] = &inputs[..] else {
        return Err(format!("expected one graph input, found {}", inputs.len()));
    };
    let weight = |name: &str| {
        inits
            .get(name)
            .ok_or(format!("{name} is not an initializer"))
    };
    let mut walk = Walk {
        grades: Vec::new(),
        values: HashMap::from([(input.clone(), Value::Input)]),
        carry: input.clone(),
        hidden: input.clone(),
        open: None,
        pending: false,
    };
    for node in &nodes {
        let arg = |i: usize| node.inputs.get(i).map(String::as_str).unwrap_or("");
        let at = &node.output;
        match node.op.as_str() {
            "Gemm" | "MatMul" => {
                let gemm = node.op == "Gemm";
                let int = |k: &str| node.ints.get(k).copied().unwrap_or(0);
                let float = |k: &str| node.floats.get(k).copied().unwrap_or(1.0);
                if int("transA") != 0 || float("alpha") != 1.0 || float("beta") != 1.0 {
                    return Err(format!(
                        "{at}: only transA = 0 and alpha = beta = 1 are read"
                    ));
                }
                let w = weight(arg(1))?;
                if w.dims.len() != 2 {
                    return Err(format!("{at}: the weight is not a matrix"));
                }
                let stored_as_rows = gemm && int("transB") == 1;
                let (rows, cols) = if stored_as_rows {
                    (w.dims[0], w.dims[1])
                } else {
                    (w.dims[1], w.dims[0])
                };
                let matrix: Vec<Vec<f64>> = (0..rows)
                    .map(|r| {
                        (0..cols)
                            .map(|c| {
                                if stored_as_rows {
                                    w.values[r * cols + c]
                                } else {
                                    w.values[c * rows + r]
                                }
                            })
                            .collect()
                    })
                    .collect();
                let bias = if gemm && !arg(2).is_empty() {
                    let b = weight(arg(2))?;
                    if b.values.len() != rows {
                        return Err(format!("{at}: bias of length {}", b.values.len()));
                    }
                    b.values.clone()
                } else {
                    vec![0.0; rows]
                };
                walk.linear(
                    arg(0),
                    at,
                    DenseLayer {
                        weight: matrix,
                        bias,
                    },
                )?;
            }
            "Add" => {
                let (a, b) = (
                    walk.values.get(arg(0)).cloned(),
                    walk.values.get(arg(1)).cloned(),
                );
                match (a, b) {
                    (Some(Value::Linear(g, l)), None) | (None, Some(Value::Linear(g, l))) => {
                        let name = if walk.values.contains_key(arg(0)) {
                            arg(1)
                        } else {
                            arg(0)
                        };
                        let bias = weight(name)?;
                        let layer = &mut walk.grades[g].layers[l];
                        if bias.values.len() != layer.bias.len() {
                            return Err(format!("{at}: bias of the wrong length"));
                        }
                        for (x, y) in layer.bias.iter_mut().zip(&bias.values) {
                            *x += y;
                        }
                        walk.values.insert(at.clone(), Value::Linear(g, l));
                    }
                    (Some(Value::Sum(a)), Some(Value::Linear(g, _)))
                    | (Some(Value::Linear(g, _)), Some(Value::Sum(a)))
                        if g == a + 1 =>
                    {
                        walk.output(g, at)?;
                    }
                    (Some(Value::Linear(0, _)), Some(Value::Linear(1, _)))
                    | (Some(Value::Linear(1, _)), Some(Value::Linear(0, _))) => {
                        walk.output(0, at)?;
                        walk.output(1, at)?;
                    }
                    _ => {
                        return Err(format!(
                            "{at}: an Add that is neither a bias nor a grade sum"
                        ))
                    }
                }
            }
            "Identity" => match walk.values.get(arg(0)).cloned() {
                Some(Value::Linear(0, _)) => walk.output(0, at)?,
                Some(v) => {
                    walk.values.insert(at.clone(), v);
                }
                None => return Err(format!("{at}: unknown input {}", arg(0))),
            },
            "Relu" | "Sin" | "Tanh" => {
                let act = match node.op.as_str() {
                    "Relu" => Activation::Relu,
                    "Sin" => Activation::Sin,
                    _ => Activation::Tanh,
                };
                walk.activate(arg(0), at, act)?;
            }
            other => return Err(format!("unsupported node {other:?} ({at})")),
        }
    }
    if let Some(g) = walk.open {
        walk.close(g)?;
    }
    let grades = walk.grades;
    let net = ExternalNetwork {
        format: FORMAT.into(),
        version: VERSION,
        input_dim: grades
            .first()
            .and_then(|g| g.layers.first())
            .map_or(0, |l| l.weight.first().map_or(0, Vec::len)),
        grades,
    };
    net.validate()?;
    Ok(net)
}

/// What a tensor name stands for while the graph is walked.
#[derive(Clone, Debug)]
enum Value {
    /// The graph input.
    Input,
    /// The output of layer `l` of grade `g`, not activated.
    Linear(usize, usize),
    /// An activated hidden layer.
    Hidden,
    /// `F_{g+1}`, the sum of grades `0..=g` (0-based).
    Sum(usize),
}

/// The state of the graph walk of [`from_onnx`].
struct Walk {
    grades: Vec<ExternalGrade>,
    values: HashMap<String, Value>,
    /// The value the next grade must read: the last hidden layer of the last closed grade.
    carry: String,
    /// The last hidden value of the open grade (its input until it has one).
    hidden: String,
    /// The 0-based grade being read.
    open: Option<usize>,
    /// Whether the open grade's last layer is not (yet) activated.
    pending: bool,
}

impl Walk {
    /// A linear layer reading `from`: the next layer of the open grade, or the first of a
    /// new grade when it reads the hidden value that the previous grade's output read.
    fn linear(&mut self, from: &str, at: &str, layer: DenseLayer) -> Result<(), String> {
        let continues = self.open.is_some() && from == self.hidden && !self.pending;
        if !continues {
            if let Some(g) = self.open {
                if from != self.hidden {
                    return Err(format!(
                        "{at}: reads {from}, not a layer of grade {}",
                        g + 1
                    ));
                }
                self.close(g)?;
            } else if from != self.carry {
                return Err(format!(
                    "{at}: reads {from}, not the previous grade's last hidden layer"
                ));
            }
            self.grades.push(ExternalGrade {
                activation: Activation::Relu,
                layers: Vec::new(),
            });
            self.open = Some(self.grades.len() - 1);
            self.hidden = self.carry.clone();
        }
        let g = self.open.expect("a grade is open");
        self.grades[g].layers.push(layer);
        self.pending = true;
        let l = self.grades[g].layers.len() - 1;
        self.values.insert(at.to_string(), Value::Linear(g, l));
        Ok(())
    }

    fn activate(&mut self, from: &str, at: &str, act: Activation) -> Result<(), String> {
        let Some(Value::Linear(g, l)) = self.values.get(from).cloned() else {
            return Err(format!(
                "{at}: activates {from}, which is not a linear layer"
            ));
        };
        if self.open != Some(g) || !self.pending || l + 1 != self.grades[g].layers.len() {
            return Err(format!("{at}: activates a layer out of order"));
        }
        let grade = &mut self.grades[g];
        if l > 0 && grade.activation != act {
            return Err(format!("grade {}: mixed activations", g + 1));
        }
        grade.activation = act;
        self.pending = false;
        self.hidden = at.to_string();
        self.values.insert(at.to_string(), Value::Hidden);
        Ok(())
    }

    /// Grade `g`'s output is used (summed or named `at`): the grade is complete.
    fn output(&mut self, g: usize, at: &str) -> Result<(), String> {
        if self.open == Some(g) {
            self.close(g)?;
        }
        self.values.insert(at.to_string(), Value::Sum(g));
        Ok(())
    }

    fn close(&mut self, g: usize) -> Result<(), String> {
        if !self.pending {
            return Err(format!("grade {}: ends in an activation", g + 1));
        }
        self.open = None;
        self.pending = false;
        self.carry = self.hidden.clone();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::{GradeSpec, Grid};

    fn network() -> ExternalNetwork {
        ExternalNetwork::from_compiled(&[
            GradeSpec {
                grid: Grid::new(1, 4),
                eps: 0.125,
                nodal: vec![0.0, 0.5, -0.25, 1.0, 0.0],
            },
            GradeSpec {
                grid: Grid::new(1, 2),
                eps: 0.0625,
                nodal: vec![0.25, 0.0, -0.5],
            },
        ])
    }

    #[test]
    fn written_models_read_back_as_the_same_network() {
        let net = network();
        assert_eq!(from_onnx(&to_onnx(&net)).unwrap(), net);
        let mut smooth = net.clone();
        smooth.grades[1].activation = Activation::Tanh;
        assert_eq!(from_onnx(&to_onnx(&smooth)).unwrap(), smooth);
    }

    /// A model as other tools write it: `MatMul` with an `(in, out)` weight, then `Add` of
    /// a bias, with each grade's output as a separate graph output.
    #[test]
    fn matmul_and_add_stacks_are_read() {
        let mut graph = Message::default();
        let f32s = |v: &[f32]| -> Vec<u8> { v.iter().flat_map(|x| x.to_le_bytes()).collect() };
        let mut float_tensor = |name: &str, dims: &[usize], v: &[f32]| {
            let mut t = Message::default();
            for &d in dims {
                t.int(1, d as i64);
            }
            t.int(2, FLOAT).string(8, name).bytes(9, &f32s(v));
            graph.message(5, &t);
        };
        // Grade 1: h = relu(x W1 + b1) with W1 = [[1, -1]] (in 1, out 2); q1 = h W2 + b2.
        float_tensor("W1", &[1, 2], &[1.0, -1.0]);
        float_tensor("b1", &[2], &[0.0, 0.5]);
        float_tensor("W2", &[2, 1], &[0.5, 0.25]);
        float_tensor("b2", &[1], &[0.125]);
        // Grade 2 reads h: q2 = relu(h V1) V2.
        float_tensor("V1", &[2, 1], &[1.0, 1.0]);
        float_tensor("V2", &[1, 1], &[-0.5]);
        let nodes = [
            node("MatMul", "m1", &["x", "W1"], "a1", &[]),
            node("Add", "a1b", &["a1", "b1"], "a1b", &[]),
            node("Relu", "r1", &["a1b"], "h", &[]),
            node("MatMul", "m2", &["h", "W2"], "a2", &[]),
            node("Add", "a2b", &["a2", "b2"], "q1", &[]),
            node("MatMul", "m3", &["h", "V1"], "c1", &[]),
            node("Relu", "r2", &["c1"], "k", &[]),
            node("MatMul", "m4", &["k", "V2"], "q2", &[]),
        ];
        for n in &nodes {
            graph.message(1, n);
        }
        graph.message(11, &value_info("x", 1));
        graph.message(12, &value_info("q1", 1));
        graph.message(12, &value_info("q2", 1));
        let mut model = Message::default();
        model.int(1, 7).message(7, &graph);
        let net = from_onnx(&model.0).unwrap();
        assert_eq!(net.input_dim, 1);
        assert_eq!(net.grades.len(), 2);
        assert_eq!(net.grades[0].layers[0].weight, vec![vec![1.0], vec![-1.0]]);
        assert_eq!(net.grades[0].layers[0].bias, vec![0.0, 0.5]);
        assert_eq!(net.grades[0].layers[1].weight, vec![vec![0.5, 0.25]]);
        assert_eq!(net.grades[1].layers[0].weight, vec![vec![1.0, 1.0]]);
        // At x = 1/4: h = (1/4, 1/4), q1 = 1/8 + 1/16 + 1/8, q2 = -1/2 * 1/2.
        assert_eq!(net.eval_grades_f64(&[0.25]), vec![0.3125, -0.25]);
    }

    #[test]
    fn malformed_models_are_rejected() {
        assert!(from_onnx(b"garbage that is not protobuf \xff\xff\xff").is_err());
        assert!(from_onnx(&[]).is_err());
        let bytes = to_onnx(&network());
        assert!(from_onnx(&bytes[..bytes.len() / 2]).is_err());
    }
}
