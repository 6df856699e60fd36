-- Neovim, in a terminal, for docs/record-lsp-neovim.sh: opens a document with a half-typed ref="org:", shows
-- the diagnostics of its line, then completes the pointer from the authority records.
vim.o.number = true
vim.diagnostic.config({ virtual_text = false, signs = true, underline = true })
vim.o.wrap = false
vim.o.completeopt = "menuone,noinsert"
vim.o.shortmess = vim.o.shortmess .. "c"
vim.o.laststatus = 2
local config = { name = "edition", cmd = { "python3", "-m", "edition", "lsp" }, root_dir = vim.env.REC_ROOT }
vim.api.nvim_create_autocmd("VimEnter", {
  callback = function()
    local bufnr = vim.api.nvim_get_current_buf()
    vim.bo[bufnr].filetype = "xml"
    vim.bo[bufnr].omnifunc = "v:lua.vim.lsp.omnifunc"
    vim.lsp.buf_attach_client(bufnr, vim.lsp.start_client(config))
    local line = tonumber(vim.env.REC_LINE)
    vim.api.nvim_win_set_cursor(0, { line, 0 })
    vim.cmd("normal! zt")
    vim.fn.search('ref="org:"', "c")
    vim.defer_fn(function()
      vim.diagnostic.open_float({ scope = "line", border = "single" })
    end, 8000)
    vim.defer_fn(function()
      vim.cmd("wincmd p")
      vim.cmd("normal! f:")
      vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes("a<C-x><C-o>", true, false, true), "n", false)
      vim.defer_fn(function()
        vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes("<C-n><C-n>", true, false, true), "n", false)
        vim.defer_fn(function() vim.cmd("qa!") end, 2500)
      end, 2500)
    end, 12000)
  end,
})
