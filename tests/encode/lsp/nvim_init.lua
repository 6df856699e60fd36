-- Neovim (0.7+) headless, for tests/encode/lsp/test_neovim.py: starts `edition lsp` on the buffer with
-- Neovim's own LSP client, waits for its diagnostics, asks for a completion, writes both as JSON, quits.
local env = vim.env
local config = { name = "edition", cmd = vim.fn.json_decode(env.EDITION_LSP_CMD), root_dir = env.EDITION_LSP_ROOT }

local function report(result)
  local f = io.open(env.EDITION_LSP_OUT, "w")
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd("qa!")
end

vim.api.nvim_create_autocmd("VimEnter", {
  callback = function()
    local bufnr = vim.api.nvim_get_current_buf()
    vim.bo[bufnr].filetype = "xml"
    if vim.lsp.start then
      vim.lsp.start(config)
    else -- Neovim 0.7 (Debian bookworm): the same, in two steps
      vim.lsp.buf_attach_client(bufnr, vim.lsp.start_client(config))
    end
    local result = { diagnostics = {}, completion = {} }
    vim.wait(60000, function()
      return #vim.diagnostic.get(bufnr) > 0
    end, 100)
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
      table.insert(result.diagnostics, { message = d.message, code = code, line = d.lnum })
    end
    local params = {
      textDocument = { uri = vim.uri_from_bufnr(bufnr) },
      position = { line = tonumber(env.EDITION_LSP_LINE), character = tonumber(env.EDITION_LSP_CHARACTER) },
    }
    local responses = vim.lsp.buf_request_sync(bufnr, "textDocument/completion", params, 30000)
    for _, response in pairs(responses or {}) do
      local items = response.result and (response.result.items or response.result) or {}
      for _, item in ipairs(items) do
        table.insert(result.completion, { label = item.label, detail = item.detail })
      end
    end
    report(result)
  end,
})
