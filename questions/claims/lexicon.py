"""The grader's vocabulary as data: synonyms -> one canonical word, negation cues, breaks, and rival words.

Answers and rubric patterns go through the same table, so a pattern written with one spelling ("at most",
"Xavier", "skip connection") matches every synonym listed here ("no more than", "≤", "Glorot", "shortcut").
Keys are canonical tokens; values are surface phrases, matched after lower-casing and stemming, longest first.
Keep entries general (they serve every question); a question-specific wording belongs in its rubric pattern.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# canonical token: comma-separated surface phrases (a phrase never contains a comma)
_SYNONYMS: dict[str, str] = {
    "atmost": (
        "not exceed, does not exceed, can not exceed, not go above, can not go above, never go above, never goes "
        "above, not above, can not be more than, can not be larger than, can not be bigger than, never gets above, "
        "can not get above, does not go above, not get above, never higher than, at most, no more than, not more "
        "than, no larger than, no bigger than, no greater than, never more than, never above, never exceeds, never "
        "exceed, never larger than, max, maximum, maximal, maximally, peak, peaks, peaked, upper bound, upper "
        "bounded, bounded above, at best, tops out, top out, highest, largest value, capped at"
    ),
    "atleast": "at least, no less than, not less than, never below, never less than, minimum, lower bound",
    "exceed": (
        "exceed, exceeds, exceeded, exceeding, above, greater than, more than, larger than, bigger than, higher than, "
        "goes over, go over, goes above"
    ),
    "below": "below, less than, smaller than, lower than, under the, beneath, sub unit",
    "equal": "equal, equals, equal to, is exactly, exactly",
    "approx": (
        "approx, approximately, about, around, roughly, circa, on the order of, order of, nearly, almost, close to, "
        "near"
    ),
    "fix": (
        "fix, fixes, fixed, fixing, solve, solves, solved, solution, prevent, prevents, prevention, avoid, avoids, "
        "mitigate, mitigates, mitigation, counter, counters, counteract, counteracts, combat, combats, cure, cures, "
        "remedy, remedies, remedied, address, addresses, addressed, tackle, tackles, help against, helps against, "
        "help with, helps with, protect against, protects against, guard against, guards against, deal with, deals "
        "with, handle, handles, keep out of, keeps out of, keep away from, keeps away from, eliminate, eliminates, "
        "get around, work around, rescue, rescues, resolve, resolves, treat, treats, stave off, ward off"
    ),
    "cause": (
        "cause, causes, caused, causing, lead to, leads to, leading to, led to, result in, results in, resulting in, "
        "produce, produces, give rise to, gives rise to, come from, comes from, due to, because of, drive, drives, "
        "driven by, trigger, triggers, responsible for, source of, reason for, blame, root cause, behind, culprit, "
        "make, makes, yield, yields, so that, hence, therefore, thus, consequently, so, because"
    ),
    "multiply": (
        "multiply, multiplies, multiplied, multiplying, multiplication, product, products, times, compound, "
        "compounds, compounded, compounding, chain of, chained, stack up, stacks up, pile up, piles up, accumulate, "
        "accumulates, mul, mult"
    ),
    "exponential": (
        "exponential, exponentially, geometric, geometrically, power, powers, to the power, raised to, orders of "
        "magnitude, order of magnitude, exponent, snowball, snowballs, compounding effect"
    ),
    "chainrule": "chain rule, chain rules, backprop chain rule",
    "each": (
        "each, every, per, at every, at each, for each, for every, one per, after another, successive, repeated, "
        "repeatedly, again and again, over and over"
    ),
    "small": (
        "small, smaller, smallest, tiny, tinier, minuscule, negligible, weak, weaker, little, near zero, close to "
        "zero, nearly zero, almost zero, approx zero, practically zero, essentially zero, basically zero, effectively "
        "zero, zero ish, vanishingly small, low magnitude, faint, feeble, too weak, teeny, itty bitty, microscopic"
    ),
    "large": (
        "large, larger, largest, big, bigger, huge, enormous, massive, giant, gigantic, astronomical, high magnitude, "
        "too big, too large, very large, crazy big, out of control, uncontrolled, unbounded, sky high, skyrocket, "
        "skyrockets, skyrocketing, humongous"
    ),
    "shrink": (
        "squeeze, squeezes, squeezed, fall, falls, falling, fell, drop off, drops off, falls off, shrink, shrinks, "
        "shrank, shrunk, shrinking, shrinkage, decay, decays, decayed, decaying, diminish, diminishes, diminishing, "
        "dwindle, dwindles, fade, fades, fading, die out, dies out, dying out, disappear, disappears, go to zero, "
        "goes to zero, going to zero, tend to zero, tends to zero, approach zero, approaches zero, collapse, "
        "collapses, attenuate, attenuates, attenuated, attenuation, get smaller, gets smaller, getting smaller, "
        "become smaller, becomes smaller, smaller and smaller, dampen, dampens, damped, peter out, peters out, wash "
        "out, washes out, lose, loses, losing, lost"
    ),
    "grow": (
        "grow, grows, grew, grown, growing, growth, blow up, blows up, blew up, blowing up, balloon, balloons, get "
        "larger, gets larger, getting larger, get bigger, gets bigger, getting bigger, become larger, becomes larger, "
        "larger and larger, bigger and bigger, amplify, amplifies, amplified, amplification, magnify, magnifies, "
        "magnified, build up, builds up, spiral, spirals, runaway, run away, runs away"
    ),
    "decrease": (
        "decrease, decreases, decreased, reduce, reduces, reduced, reducing, lower, lowers, lowered, lowering, cut, "
        "cuts, drop, drops, dropped, dial down, turn down, scale down, scales down, scaled down, smaller step, "
        "smaller steps, downscale, downscales, halve the"
    ),
    "increase": (
        "increase, increases, increased, increasing, raise, raises, raised, raising, boost, boosts, crank up, turn "
        "up, bump up, higher, bigger step, bigger steps, scale up, scales up, upscale"
    ),
    "forward": "forward, forward pass, forwards, forward direction, inference pass, fprop",
    "backward": (
        "backward, backwards, backward pass, backprop, backpropagation, back propagation, backpropagate, "
        "backpropagated, backpropagating, back prop, bprop, backward direction, flow back, flows back, going back, "
        "travel back, travels back"
    ),
    "before": "before, prior to, ahead of, preceding",
    "after": "after, afterwards",
    "vanish": (
        "vanishing gradient, vanishing gradients, vanishing, vanishes, vanished, gradient vanishing, vanish problem"
    ),
    "explode": (
        "exploding gradient, exploding gradients, exploding, explodes, exploded, explosion, explosions, explosive, "
        "gradient explosion, gradient explosions, explosion of the gradient, exploding problem"
    ),
    "sigmoid": "sigmoid, sigmoids, logistic, logistic function, logistic sigmoid, sigma, sigmoidal",
    "tanh": "tanh, hyperbolic tangent, tan h",
    "relu": (
        "relu, relus, rectified linear, rectified linear unit, rectifier, rectifiers, max 0 x, max x 0, max of 0 and "
        "x, max of zero and x, rectified"
    ),
    "leakyrelu": "leaky relu, leaky relus, leakyrelu, leaky, prelu, parametric relu, lrelu",
    "elu": "elu, elus, selu, exponential linear, exponential linear unit",
    "gelu": "gelu, gelus, swish, silu, mish",
    "saturate": (
        "saturate, saturates, saturated, saturating, saturation, flat region, flat regions, flat part, flat parts, "
        "flat tail, flat tails, plateau region, squashed, pinned at, stuck at 0 or 1, stuck near 0 or 1, stuck at 1, "
        "stuck near 1, flattens, flatten out, flattens out"
    ),
    "derivative": (
        "derivative, derivatives, slope, slopes, gradient of the activation, local gradient, local gradients, d dx, "
        "prime, differential, partial, partials, partial derivative, partial derivatives"
    ),
    "jacobian": "jacobian, jacobians, jacobian matrix, jacobian matrices",
    "identity": "identity, identity matrix, identity map, identity mapping, identity function",
    "clip": (
        "cap the gradient, caps the gradient, capping the gradient, cap the norm, caps the norm, capping the norm, "
        "cap the gradient norm, clamp the gradient, clip, clips, clipped, clipping, gradient clipping, clip grad "
        "norm, clip grad norm_, clipgradnorm, norm clipping, clip by norm, clipping by norm, grad clipping, clamp the "
        "norm"
    ),
    "batchnorm": (
        "batchnorm, batch norm, batch normalization, batch normalizing, batchnorm1d, batchnorm2d, bn, bn layer, bn "
        "layers, batch normalize, batch normalized, batch normalising"
    ),
    "layernorm": (
        "layernorm, layer norm, layer normalization, groupnorm, group norm, group normalization, rmsnorm, rms norm"
    ),
    "skip": (
        "skip, skips, skip connection, skip connections, shortcut, shortcuts, shortcut connection, identity path, "
        "identity paths, identity shortcut, identity shortcuts, identity connection, identity connections, identity "
        "branch, skip path, skip paths, residual connection, residual connections, bypass, bypasses, highway, "
        "gradient highway, direct path, direct paths, skip link, skip links, residual link, residual path, residual "
        "stream, x plus f x, x plus f, x l plus f, add the input back, adds the input back, adding the input"
    ),
    "kaiming": (
        "kaiming, he initialization, he init, he normal, he uniform, he et al, he s init, he s initialization, he "
        "scheme, he method, kaiming he, msra, he initialisation, he style, he 2015, he weight, he weights"
    ),
    "xavier": (
        "xavier, glorot, xavier glorot, glorot bengio, glorot and bengio, xavier initialization, glorot "
        "initialization, xavier init, glorot init"
    ),
    "lstm": "lstm, lstms, long short term memory",
    "gru": "gru, grus, gated recurrent unit, gated recurrent units",
    "forgetgate": "forget gate, forget gates, f t, ft, forget",
    "cellstate": (
        "cell state, cell states, cell, memory cell, c t, ct, cell path, carousel, constant error carousel, memory"
    ),
    "weightdecay": (
        "weight decay, l2, l2 regularization, l2 penalty, l2 regularizer, ridge, weight penalty, weight "
        "regularization, l2 norm penalty"
    ),
    "lr": "learning rate, learning rates, lr, step size, step sizes, eta, learningrate",
    "warmup": "warm, warmup, warm up, warming up, lr warmup, learning rate warmup",
    "init": (
        "initialization, initializations, initialize, initialized, initializing, init, inits, initial weights, weight "
        "init, weight initialization, initializer, starting weights"
    ),
    "fanin": (
        "fan in, fanin, fan_in, n in, nin, n_in, inputs per unit, number of inputs, input dimension, incoming "
        "connections, incoming weights, input size, d in, din"
    ),
    "fanout": (
        "fan out, fanout, fan_out, n out, nout, n_out, number of outputs, output dimension, outgoing connections, "
        "output size, d out, dout"
    ),
    "variance": "variance, variances, var, second moment, spread, sigma squared, std squared",
    "half": "half, halves, halved, halving, fifty percent, half of, one half, #0.5",
    "double": (
        "double, doubles, doubled, doubling, twice, factor 2, factor of 2, factor two, factor of two, times 2, times "
        "two, 2x, 2 times, two times, multiply by 2"
    ),
    "nan": "nan, nans, inf, infs, infinity, infinite, not a number, overflow, overflows, overflowed, overflowing",
    "diverge": (
        "diverge, diverges, diverged, divergence, diverging, unstable, instability, instabilities, unstably, "
        "oscillate, oscillates, oscillation, overshoot, overshoots, overshooting, bounce around, bounces around, jump "
        "around, jumps around, go haywire, goes haywire, haywire, all over the place"
    ),
    "earlylayer": (
        "early layer, early layers, earlier layer, earlier layers, first layer, first layers, initial layer, initial "
        "layers, lower layer, lower layers, bottom layer, bottom layers, layers near the input, layers close to the "
        "input, input side, near the input, toward the input, towards the input, front layers, beginning of the "
        "network, start of the network, layers at the start, layer 1, the input end, shallow layers"
    ),
    "lastlayer": (
        "last layer, last layers, final layer, final layers, later layers, top layer, top layers, output layer, "
        "output layers, layers near the output, layers close to the output, late layers, deeper layers, layer l"
    ),
    "learn": (
        "learn, learns, learned, learnt, learning, train, trains, trained, training, update, updates, updated, "
        "updating, change, changes, changed, improve, improves, move, moves, adapt, adapts, progress"
    ),
    "barely": (
        "barely, hardly, slowly, slow, slower, stall, stalls, stalled, stuck, frozen, stop, stops, stopped, freeze, "
        "freezes, barely any, very little, almost nothing, nothing much, crawl, crawls, glacial, plateau, plateaus, "
        "flatlines, flat line, stagnate, stagnates"
    ),
    "depth": (
        "depth, deep, deeper, deepest, many layers, lots of layers, more layers, number of layers, layer count, "
        "stacked layers, stack of layers, long chain, long chains, hundreds of layers, tens of layers, very deep"
    ),
    "overfit": (
        "overfit, overfits, overfitting, overfitted, over fit, over fitting, memorize, memorizes, memorization, high "
        "variance model, overtrain, overtraining"
    ),
    "trainerror": (
        "training error, training errors, train error, training loss, train loss, training accuracy, train accuracy, "
        "error on the training set, loss on the training set, training set error, training set loss, error on "
        "training data, training performance"
    ),
    "testerror": (
        "test error, test loss, validation error, validation loss, val loss, val error, held out, heldout, "
        "generalization error, test accuracy, validation accuracy, test set, validation set, unseen data, "
        "generalization gap, generalize, generalise"
    ),
    "zeromean": "zero mean, zero centered, zero centred, mean zero, centered at zero, mean of zero",
    "unitvariance": "unit variance, variance one, variance 1, variance of one, variance of 1, unit scale",
    "minus": "minus, subtract, subtracted, subtracting",
    "plus": "plus, add, adds, added, adding, addition, additive, additively, sum, sums, summed, summing",
    "over": "over, divided by, divide by, divides by, dividing by, divided over, ratio",
    "sqrt": "sqrt, square root, root of",
}
SYNONYMS: dict[str, tuple[str, ...]] = {k: tuple(p.strip() for p in v.split(",")) for k, v in _SYNONYMS.items()}

# Number words become number tokens ("a quarter" -> #0.25); a bare "one"/"a" is left alone unless part of these.
NUMBER_WORDS: dict[str, float] = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "twenty": 20,
    "thirty": 30,
    "fifty": 50,
    "hundred": 100,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "quarter": 0.25,
    "fourth": 0.25,
    "third": 1 / 3,
    "tenth": 0.1,
    "hundredth": 0.01,
    "thousandth": 1e-3,
    "millionth": 1e-6,
    "billionth": 1e-9,
}

# A negation cue flips the claim it scopes over, from the cue to the end of its segment (at most SCOPE words).
NEGATIONS: frozenset[str] = _words(
    "cannot disable disables disabling ditch fail failed fails instead lack lacking lacks neither never no nobody "
    "none nor not nowhere rather remove removed removes removing unable without"
)
# Multi-word cues, and words after "not"/"no" that make it not a negation ("not only", "no matter").
NEGATION_PHRASES: tuple[tuple[str, ...], ...] = (
    ("get", "rid", "of"),
    ("turn", "off"),
    ("turned", "off"),
    ("switch", "off"),
    ("take", "out"),
    ("taking", "out"),
)
NOT_NEGATION_AFTER: frozenset[str] = frozenset(
    {"only", "just", "matter", "merely", "doubt", "longer_than", "necessarily_false"}
)
SCOPE = 7

# Words that end a segment (negation scope, and the "belongs to the nearest subject" rule); punctuation too.
SEGMENT_BREAKS: frozenset[str] = _words(
    "although and because but hence however meanwhile or otherwise since so then therefore though thus unless "
    "versus vs whenever whereas whereby which while whilst yet"
)

# Rival words: when a claim's first term (its subject) is one of these, every other term must belong to that
# subject, i.e. no rival of the same group is nearer before it in the sentence ("vanishing gradients are tiny
# and exploding ones are huge": "huge" belongs to "exploding", never to "vanishing").
RIVALS: tuple[frozenset[str], ...] = (
    frozenset({"vanish", "explode"}),
    frozenset({"sigmoid", "tanh", "relu", "leakyrelu", "elu", "gelu"}),
    frozenset({"clip", "batchnorm", "layernorm", "skip", "kaiming", "xavier", "lstm", "gru", "weightdecay", "warmup",
               "dropout"}),
    frozenset({"earlylayer", "lastlayer"}),
    frozenset({"fanin", "fanout"}),
    frozenset({"forward", "backward"}),
    frozenset({"trainerror", "testerror"}),
    frozenset({"small", "large"}),
    frozenset({"shrink", "grow"}),
    frozenset({"decrease", "increase"}),
    frozenset({"below", "exceed"}),
    frozenset({"adam", "adamw", "sgd"}),
    frozenset({"atmost", "atleast"}),
)

# Spoken fillers, dropped before anything else ("um, so, basically, the slope..." reads "so the slope...").
FILLERS: frozenset[str] = frozenset(
    {
        "um",
        "uh",
        "erm",
        "er",
        "uhm",
        "hmm",
        "ah",
        "mm",
        "okay",
        "ok",
        "basically",
        "actually",
        "literally",
        "yeah",
        "yep",
        "well",
    }
)
FILLER_PHRASES: tuple[tuple[str, ...], ...] = (
    ("you", "know"),
    ("i", "mean"),
    ("sort", "of"),
    ("kind", "of"),
    ("i", "guess"),
    ("i", "think"),
    ("let", "me", "think"),
    ("let", "us", "see"),
    ("like", ","),
    ("right", ","),
)

# Function words: a list item or salad made almost only of other words is a bare list of terms.
FUNCTION_WORDS: frozenset[str] = _words(
    "a also an are as at be because been being by can could did do does for from get gets go goes had has have he "
    "her his how i if in into is it its just may might must my no not of on only our she should so than that the "
    "their them then there these they this those to very was we were what when where which who will with would "
    "you your"
)
