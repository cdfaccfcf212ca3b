import CircuitTraining

extension JAXPrelude {

  /// The optimiser's state functions and `_update` for `method`, as `CircuitTraining`'s
  /// `Optimizer` defines it (PyTorch's arithmetic and buffer names).
  static func optimizer(method: Optimizer.Method) -> String {
    stateFunctions + "\n\n" + update(method)
  }

  /// Creating the state and reading it from a `circuit train --save` checkpoint.
  static let stateFunctions = #"""
    def learning_rate(done):
        """The rate of the update after `done` updates: LEARNING_RATE, decayed by the cosine
        schedule lr_min + (lr - lr_min)(1 + cos(pi t / T)) / 2, scaled by (done + 1) / W in warm-up."""
        rate = jnp.asarray(LEARNING_RATE, jnp.float32)
        if SCHEDULE == "cosine" and TOTAL_STEPS > 0:
            t = jnp.minimum(done, TOTAL_STEPS).astype(jnp.float32)
            rate = MIN_LR + 0.5 * (LEARNING_RATE - MIN_LR) * (1 + jnp.cos(jnp.pi * t / TOTAL_STEPS))
        if WARMUP_STEPS > 0:
            rate = jnp.where(done < WARMUP_STEPS, rate * (done + 1).astype(jnp.float32) / WARMUP_STEPS, rate)
        return rate


    def init_optimizer_state(params):
        """The state before the first update: step 0 and zero buffers (PyTorch's names)."""
        state = {"step": jnp.asarray(0, jnp.int32)}
        for buffer in BUFFERS:
            state[buffer] = {n: jnp.zeros_like(p) for n, p in params.items()}
        return state


    def load_checkpoint(path):
        """(params, state) of a `circuit train --save` checkpoint (`@optimizer/step`,
        `@optimizer/<buffer>/<name>`), so that training continues where it left off."""
        tensors = load_safetensors(path)
        params = load_params(path)
        if "@optimizer/step" not in tensors:
            raise ValueError(f"{path}: no '@optimizer/step': not a training checkpoint")
        state = {"step": jnp.asarray(tensors["@optimizer/step"], jnp.int32)}
        for buffer in BUFFERS:
            state[buffer] = {n: jnp.asarray(tensors.get(f"@optimizer/{buffer}/{n}", np.zeros(p.shape, np.float32)))
                             for n, p in params.items()}
        return params, state
    """#

  /// `_update(params, grads, state)` for `method`.
  static func update(_ method: Optimizer.Method) -> String {
    switch method {
    case .sgd:
      #"""
      def _update(params, grads, state):
          """SGD (torch.optim.SGD): d = g + λp; with momentum μ, b = μb + d (b = d at the first
          step), then d = d + μb (Nesterov) or b; p = p - lr·d at the scheduled lr."""
          lr = learning_rate(state["step"])
          new_params, buffers = {}, {}
          for name, p in params.items():
              d = grads[name]
              if WEIGHT_DECAY != 0:
                  d = d + WEIGHT_DECAY * p
              if MOMENTUM != 0:
                  b = jnp.where(state["step"] == 0, d, MOMENTUM * state["momentum_buffer"][name] + d)
                  buffers[name] = b
                  d = d + MOMENTUM * b if NESTEROV else b
              new_params[name] = p - lr * d
          new_state = {"step": state["step"] + 1}
          if MOMENTUM != 0:
              new_state["momentum_buffer"] = buffers
          return new_params, new_state
      """#
    case .adam, .adamW:
      #"""
      def _update(params, grads, state):
          """Adam (torch.optim.Adam: d = g + λp) or AdamW (p = p·(1 - lr·λ) first):
          m = m + (1-β1)(d - m), v = β2·v + (1-β2)·d², p = p - (lr/(1-β1^t))·m / (√v/√(1-β2^t) + ε),
          with 1-β1 and 1-β2 computed in Python floats and rounded to float32 once, as PyTorch
          (and `circuit train`) do; the bias corrections 1-β^t as -expm1(t·log β), accurate in float32."""
          lr = learning_rate(state["step"])
          step = state["step"] + 1
          complement1, beta2, complement2 = np.float32(1 - BETAS[0]), np.float32(BETAS[1]), np.float32(1 - BETAS[1])
          t = step.astype(jnp.float32)
          step_size = lr / -jnp.expm1(t * np.float32(np.log(BETAS[0])))
          correction2 = jnp.sqrt(-jnp.expm1(t * np.float32(np.log(BETAS[1]))))
          new_params, exp_avg, exp_avg_sq = {}, {}, {}
          for name, p in params.items():
              d = grads[name]
              if OPTIMIZER == "adam" and WEIGHT_DECAY != 0:
                  d = d + WEIGHT_DECAY * p
              if OPTIMIZER == "adamw" and WEIGHT_DECAY != 0:
                  p = p * (1 - lr * WEIGHT_DECAY)
              m = state["exp_avg"][name] + complement1 * (d - state["exp_avg"][name])
              v = beta2 * state["exp_avg_sq"][name] + complement2 * d * d
              exp_avg[name], exp_avg_sq[name] = m, v
              new_params[name] = p + (-step_size * m) / (jnp.sqrt(v) / correction2 + EPS)
          return new_params, {"step": step, "exp_avg": exp_avg, "exp_avg_sq": exp_avg_sq}
      """#
    }
  }
}
