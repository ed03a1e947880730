//! Dyadic boxes and partition trees.
//!
//! A partition of `[0,1]^d` is a binary tree in which every internal node splits its box at
//! the midpoint of the side with the fewest splits so far, lowest axis first. A node at depth
//! `t` therefore splits axis `t mod d`, and all its boxes are dyadic with endpoints exact in
//! `f64`. The tree is stored in preorder, one bit per node: 1 splits, 0 is a leaf.

/// The deepest node a partition may have along one axis; past 2^-52 a box's midpoint is no
/// longer guaranteed to be exact next to `1.0`.
pub const MAX_LEVEL_PER_AXIS: u32 = 50;

/// The largest dimension a box may have; per-axis data is stored inline.
pub const MAX_DIM: usize = 6;

/// A dyadic box: along axis `i`, `[index_i, index_i + 1] * 2^-level_i`, where the levels
/// follow from the depth.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DyadicBox {
    pub depth: u32,
    pub dim: u32,
    pub index: [u64; MAX_DIM],
}

impl DyadicBox {
    /// The whole cube `[0,1]^dim`, for `1 <= dim <= MAX_DIM`.
    pub fn root(dim: usize) -> Self {
        DyadicBox {
            depth: 0,
            dim: dim as u32,
            index: [0; MAX_DIM],
        }
    }

    pub fn dim(&self) -> usize {
        self.dim as usize
    }

    /// How many times axis `axis` has been halved.
    pub fn level(&self, axis: usize) -> u32 {
        self.depth / self.dim + u32::from((axis as u32) < self.depth % self.dim)
    }

    /// The axis that the next split halves.
    pub fn split_axis(&self) -> usize {
        (self.depth % self.dim) as usize
    }

    /// Whether splitting once more stays within [`MAX_LEVEL_PER_AXIS`].
    pub fn can_split(&self) -> bool {
        self.level(self.split_axis()) < MAX_LEVEL_PER_AXIS
    }

    /// The two halves, lower first.
    pub fn children(&self) -> (DyadicBox, DyadicBox) {
        let axis = self.split_axis();
        let mut low = *self;
        low.depth += 1;
        low.index[axis] *= 2;
        let mut high = low;
        high.index[axis] += 1;
        (low, high)
    }

    /// The box's lower and upper corners, exact.
    pub fn bounds(&self) -> (Vec<f64>, Vec<f64>) {
        let d = self.dim();
        let mut lo = Vec::with_capacity(d);
        let mut hi = Vec::with_capacity(d);
        for (axis, &k) in self.index[..d].iter().enumerate() {
            let scale = (-(self.level(axis) as f64)).exp2();
            lo.push(k as f64 * scale);
            hi.push((k + 1) as f64 * scale);
        }
        (lo, hi)
    }
}

/// A partition tree as preorder bits.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PartitionTree {
    pub bits: Vec<bool>,
}

/// Why a partition tree could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TreeError {
    /// The bits end before the tree does.
    Truncated,
    /// Bits remain after the tree is complete.
    Trailing(usize),
    /// A split would go deeper than [`MAX_LEVEL_PER_AXIS`].
    TooDeep,
    /// The text is not a hexadecimal string with a valid bit count.
    BadEncoding(String),
}

impl std::fmt::Display for TreeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TreeError::Truncated => write!(f, "the partition tree ends early"),
            TreeError::Trailing(n) => write!(f, "{n} bits remain after the partition tree"),
            TreeError::TooDeep => write!(f, "the partition tree is deeper than allowed"),
            TreeError::BadEncoding(m) => write!(f, "bad partition encoding: {m}"),
        }
    }
}

impl PartitionTree {
    /// Visits the leaves in preorder. Fails, without visiting further, on a malformed tree.
    pub fn for_each_leaf<E>(
        &self,
        dim: usize,
        mut visit: impl FnMut(&DyadicBox) -> Result<(), E>,
    ) -> Result<Result<(), E>, TreeError> {
        let mut stack = vec![DyadicBox::root(dim)];
        let mut pos = 0;
        while let Some(node) = stack.pop() {
            let Some(&split) = self.bits.get(pos) else {
                return Err(TreeError::Truncated);
            };
            pos += 1;
            if split {
                if !node.can_split() {
                    return Err(TreeError::TooDeep);
                }
                let (low, high) = node.children();
                stack.push(high);
                stack.push(low);
            } else if let Err(e) = visit(&node) {
                return Ok(Err(e));
            }
        }
        if pos != self.bits.len() {
            return Err(TreeError::Trailing(self.bits.len() - pos));
        }
        Ok(Ok(()))
    }

    /// The number of leaves (for a well-formed tree): one more than the number of splits.
    pub fn leaf_count(&self) -> usize {
        self.bits.iter().filter(|b| !**b).count()
    }

    /// Hexadecimal text: the bit count, a colon, then the bits packed four to a digit,
    /// most significant first.
    pub fn encode(&self) -> String {
        let mut text = format!("{}:", self.bits.len());
        for chunk in self.bits.chunks(4) {
            let mut nibble = 0u32;
            for (i, &bit) in chunk.iter().enumerate() {
                nibble |= u32::from(bit) << (3 - i);
            }
            text.push(char::from_digit(nibble, 16).unwrap_or('0'));
        }
        text
    }

    /// Reads the text written by [`PartitionTree::encode`].
    pub fn decode(text: &str) -> Result<Self, TreeError> {
        let bad = |m: &str| TreeError::BadEncoding(m.to_string());
        let (count, digits) = text.split_once(':').ok_or_else(|| bad("missing ':'"))?;
        let count: usize = count.parse().map_err(|_| bad("bad bit count"))?;
        if digits.len() != count.div_ceil(4) {
            return Err(bad("bit count and digits disagree"));
        }
        let mut bits = Vec::with_capacity(count);
        for c in digits.chars() {
            let nibble = c
                .to_digit(16)
                .ok_or_else(|| bad("not a hexadecimal digit"))?;
            for i in 0..4 {
                if bits.len() < count {
                    bits.push(nibble & (1 << (3 - i)) != 0);
                } else if nibble & (1 << (3 - i)) != 0 {
                    return Err(bad("padding bits are not zero"));
                }
            }
        }
        Ok(PartitionTree { bits })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_follow_depth() {
        let b = DyadicBox {
            depth: 5,
            ..DyadicBox::root(2)
        };
        assert_eq!((b.level(0), b.level(1)), (3, 2));
        assert_eq!(b.split_axis(), 1);
    }

    #[test]
    fn children_halve_the_split_axis() {
        let root = DyadicBox::root(2);
        let (low, high) = root.children();
        assert_eq!(low.bounds(), (vec![0.0, 0.0], vec![0.5, 1.0]));
        assert_eq!(high.bounds(), (vec![0.5, 0.0], vec![1.0, 1.0]));
        let (_, hh) = high.children();
        assert_eq!(hh.bounds(), (vec![0.5, 0.5], vec![1.0, 1.0]));
    }

    #[test]
    fn trees_round_trip_and_cover_the_cube() {
        let tree = PartitionTree {
            bits: vec![true, true, false, false, true, false, false],
        };
        let decoded = PartitionTree::decode(&tree.encode()).unwrap();
        assert_eq!(decoded, tree);
        let mut volume = 0.0;
        let mut leaves = 0;
        tree.for_each_leaf(1, |b| -> Result<(), ()> {
            let (lo, hi) = b.bounds();
            volume += hi[0] - lo[0];
            leaves += 1;
            Ok(())
        })
        .unwrap()
        .unwrap();
        assert_eq!((volume, leaves), (1.0, tree.leaf_count()));
    }

    #[test]
    fn malformed_trees_are_refused() {
        let truncated = PartitionTree {
            bits: vec![true, false],
        };
        assert_eq!(
            truncated.for_each_leaf(1, |_| -> Result<(), ()> { Ok(()) }),
            Err(TreeError::Truncated)
        );
        let trailing = PartitionTree {
            bits: vec![false, false],
        };
        assert_eq!(
            trailing.for_each_leaf(1, |_| -> Result<(), ()> { Ok(()) }),
            Err(TreeError::Trailing(1))
        );
        let deep = PartitionTree {
            bits: vec![true; 60],
        };
        assert_eq!(
            deep.for_each_leaf(1, |_| -> Result<(), ()> { Ok(()) }),
            Err(TreeError::TooDeep)
        );
        for text in ["", "3", "3:f", "5:f", "4:g", "2:5", "x:0"] {
            assert!(PartitionTree::decode(text).is_err(), "{text} accepted");
        }
    }
}
