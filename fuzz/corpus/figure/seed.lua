return figure { view = "side" }
